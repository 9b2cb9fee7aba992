package io.github.flinkconfluent.connector.sink.internal;

import org.junit.jupiter.api.Test;

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
}
