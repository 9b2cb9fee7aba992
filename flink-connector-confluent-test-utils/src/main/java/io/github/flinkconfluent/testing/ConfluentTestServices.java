package io.github.flinkconfluent.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The broker and the registry shared by all tests of one JVM: each starts the first time a test
 * asks for it, and both stop when the JVM exits.
 *
 * <p>Starting a broker and a registry takes seconds, so they are shared; tests keep apart by using
 * unique topic and subject names ({@link TestNames}). A test that kills or stops a service may
 * leave it down: the next test that asks for it gets it started again, on the same address. A JVM
 * shutdown hook stops both on a normal exit; {@link ParentWatchdog} ends them when the JVM is
 * killed.
 */
public final class ConfluentTestServices {

    private static KafkaBroker kafka;
    private static ApicurioRegistry registry;
    private static boolean hookInstalled;

    private ConfluentTestServices() {}

    /** The shared broker, started (again) if it is not running. */
    public static synchronized KafkaBroker kafka() {
        installShutdownHook();
        if (kafka == null) {
            kafka = new KafkaBroker();
        }
        kafka.start();
        return kafka;
    }

    /** The shared registry, started (again) if it is not running. */
    public static synchronized ApicurioRegistry registry() {
        installShutdownHook();
        if (registry == null) {
            registry = new ApicurioRegistry();
        }
        registry.start();
        return registry;
    }

    /** Stops every shared service that was started; they start again on next use. */
    public static synchronized void stopAll() {
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (ServiceProcess service : new ServiceProcess[] {kafka, registry}) {
            if (service != null) {
                stops.add(CompletableFuture.runAsync(service::stop));
            }
        }
        CompletableFuture.allOf(stops.toArray(new CompletableFuture<?>[0])).join();
    }

    private static void installShutdownHook() {
        if (!hookInstalled) {
            Runtime.getRuntime()
                    .addShutdownHook(
                            new Thread(ConfluentTestServices::stopAll, "stop-test-services"));
            hookInstalled = true;
        }
    }
}
