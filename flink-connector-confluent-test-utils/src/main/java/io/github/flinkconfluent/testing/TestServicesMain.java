package io.github.flinkconfluent.testing;

import java.util.concurrent.CountDownLatch;

/**
 * Starts the same broker and registry the tests use and keeps them up until Ctrl-C, for trying
 * things by hand: {@code dev/start-services.sh}.
 */
public final class TestServicesMain {

    private TestServicesMain() {}

    public static void main(String[] args) throws InterruptedException {
        KafkaBroker kafka = ConfluentTestServices.kafka();
        ApicurioRegistry registry = ConfluentTestServices.registry();
        System.out.println();
        System.out.println("Kafka bootstrap servers : " + kafka.bootstrapServers());
        System.out.println("Kafka log               : " + kafka.logFile());
        System.out.println("Schema Registry URL     : " + registry.url());
        System.out.println("Schema Registry log     : " + registry.logFile());
        System.out.println("Press Ctrl-C to stop both.");
        new CountDownLatch(1).await();
    }
}
