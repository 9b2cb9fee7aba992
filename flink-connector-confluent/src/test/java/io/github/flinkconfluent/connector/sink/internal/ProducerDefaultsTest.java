package io.github.flinkconfluent.connector.sink.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProducerDefaultsTest {

    @Test
    void fillsLingerAndBatchSizeWhereNothingIsSet() {
        Map<String, String> properties = new HashMap<>(Map.of("bootstrap.servers", "b:9092"));

        ProducerDefaults.addTo(properties);

        assertThat(properties)
                .containsEntry("linger.ms", "20")
                .containsEntry("batch.size", "131072")
                .containsEntry("bootstrap.servers", "b:9092")
                .hasSize(3);
    }

    @Test
    void keepsWhatTheProfileOrTableSets() {
        Map<String, String> properties =
                new HashMap<>(Map.of("linger.ms", "0", "batch.size", "16384"));

        ProducerDefaults.addTo(properties);

        assertThat(properties).containsEntry("linger.ms", "0").containsEntry("batch.size", "16384");
    }

    @Test
    void theWritersProducersGetTheDefaultsInBothModes() {
        for (boolean exactlyOnce : new boolean[] {true, false}) {
            Map<String, String> properties =
                    ConfluentWriter.producerProperties(
                            Map.of("bootstrap.servers", "b:9092"),
                            "prefix",
                            3,
                            exactlyOnce,
                            Duration.ofMinutes(5));

            assertThat(properties)
                    .as("exactly once: %s", exactlyOnce)
                    .containsEntry("linger.ms", "20")
                    .containsEntry("batch.size", "131072")
                    .containsEntry("client.id", "prefix-writer-3");
        }
    }

    @Test
    void theGuaranteeWinsOverTheTablesSettings() {
        Map<String, String> table =
                Map.of("linger.ms", "0", "acks", "1", "enable.idempotence", "false");

        Map<String, String> atLeastOnce =
                ConfluentWriter.producerProperties(table, "p", 0, false, Duration.ofMinutes(5));
        Map<String, String> exactlyOnce =
                ConfluentWriter.producerProperties(table, "p", 0, true, Duration.ofMinutes(5));

        assertThat(atLeastOnce)
                .containsEntry("linger.ms", "0")
                .containsEntry("acks", "all")
                .containsEntry("enable.idempotence", "true");
        assertThat(exactlyOnce)
                .containsEntry("linger.ms", "0")
                .containsEntry("transaction.timeout.ms", "300000");
    }
}
