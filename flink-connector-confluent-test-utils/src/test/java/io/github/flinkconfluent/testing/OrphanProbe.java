package io.github.flinkconfluent.testing;

/**
 * A stand-in for a test JVM: starts the shared broker and registry, prints their pids, then waits
 * to be killed. {@link NoOrphanServicesITCase} kills it with SIGKILL and checks they die too.
 */
public final class OrphanProbe {

    private OrphanProbe() {}

    public static void main(String[] args) throws Exception {
        long kafkaPid = ConfluentTestServices.kafka().pid();
        long registryPid = ConfluentTestServices.registry().pid();
        System.out.println("PIDS " + kafkaPid + " " + registryPid);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
