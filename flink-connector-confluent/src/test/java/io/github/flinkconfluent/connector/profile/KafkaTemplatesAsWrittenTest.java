package io.github.flinkconfluent.connector.profile;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Kafka quotes a rejected configuration value in its error ("Invalid value … for configuration …"),
 * which a failed job shows to whoever wrote the table. A value that came from a template is checked
 * before it reaches Kafka, and the error shows the template as written.
 */
class KafkaTemplatesAsWrittenTest {

    private static final String HIDDEN = "hidden-value-4711";
    private static final Map<String, String> ENV = Map.of("X", HIDDEN);

    @Test
    void kafkaItselfWouldQuoteTheResolvedValue() {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", "b:9092");
        props.put("linger.ms", HIDDEN);
        props.put("key.serializer", ByteArraySerializer.class);
        props.put("value.serializer", ByteArraySerializer.class);

        Throwable error = catchThrowable(() -> new KafkaProducer<byte[], byte[]>(props).close());

        assertThat(error).hasMessageContaining(HIDDEN);
    }

    @Test
    void aTemplatedPropertyKafkaRejectsIsReportedAsWritten() {
        ConnectionProfile profile =
                ConnectionProfileTest.profile(
                        "bootstrap.servers", "b:9092", "properties.linger.ms", "{{X}}");

        Throwable error = catchThrowable(() -> profile.kafkaProperties(ENV::get));

        assertThat(error)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'properties.linger.ms'")
                .hasMessageContaining("{{X}}")
                .hasMessageNotContaining(HIDDEN);
    }

    @Test
    void templatedBootstrapServersThatAreNoHostAndPortAreReportedAsWritten() {
        ConnectionProfile profile = ConnectionProfileTest.profile("bootstrap.servers", "{{X}}");

        Throwable error = catchThrowable(() -> profile.kafkaProperties(ENV::get));

        assertThat(error)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'bootstrap.servers'")
                .hasMessageContaining("{{X}}")
                .hasMessageNotContaining(HIDDEN);
    }

    @Test
    void validTemplatedValuesPassThroughResolved() {
        ConnectionProfile profile =
                ConnectionProfileTest.profile(
                        "bootstrap.servers", "{{B}}:9092",
                        "properties.linger.ms", "{{L}}",
                        "properties.client.id", "{{X}}");

        Map<String, String> props =
                profile.kafkaProperties(Map.of("B", "broker-1", "L", "20", "X", HIDDEN)::get);

        assertThat(props)
                .containsEntry("bootstrap.servers", "broker-1:9092")
                .containsEntry("linger.ms", "20")
                .containsEntry("client.id", HIDDEN);
    }
}
