package io.github.flinkconfluent.connector.source;

import io.github.flinkconfluent.connector.options.BadDataPolicy;
import io.github.flinkconfluent.connector.profile.ConnectionProfiles;
import io.github.flinkconfluent.connector.record.ConfluentRecordDeserializer;

import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.ValidationException;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code bad_data.topic} is required with {@code bad_data = 'dlq'} and refused otherwise. */
class SourceSettingsDeadLetterTest {

    private static Configuration options(String policy, String topic) {
        Configuration options = new Configuration();
        options.setString("topic", "orders");
        options.setString("bad_data", policy);
        if (topic != null) {
            options.setString("bad_data.topic", topic);
        }
        return options;
    }

    @Test
    void dlqNamesItsTopic() {
        assertThat(SourceSettings.deadLetterTopic(options("dlq", "orders-dlq")))
                .contains("orders-dlq");
        assertThat(SourceSettings.deadLetterTopic(options("drop", null))).isEmpty();
        assertThat(SourceSettings.deadLetterTopic(new Configuration())).isEmpty();
    }

    @Test
    void dlqWithoutATopicIsRefused() {
        assertThatThrownBy(() -> SourceSettings.deadLetterTopic(options("dlq", null)))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("'bad_data' = 'dlq' needs 'bad_data.topic'");
        assertThatThrownBy(() -> SourceSettings.deadLetterTopic(options("dlq", "  ")))
                .hasMessageContaining("needs 'bad_data.topic'");
    }

    @Test
    void aTopicWithAnotherPolicyIsRefused() {
        assertThatThrownBy(() -> SourceSettings.deadLetterTopic(options("drop", "orders-dlq")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("'bad_data.topic' is only used with 'bad_data' = 'dlq'")
                .hasMessageContaining("'drop'");
    }

    @Test
    void theSourceTopicIsRefused() {
        assertThatThrownBy(() -> SourceSettings.deadLetterTopic(options("dlq", "orders")))
                .hasMessageContaining("must not be the source topic 'orders'");
    }

    @Test
    void theBuilderChecksTheSameOption() {
        ConfluentSource.Builder<String> builder =
                ConfluentSource.<String>builder()
                        .setConnectionProfile(
                                ConnectionProfiles.resolve(
                                        null,
                                        new Configuration(),
                                        Map.of("bootstrap.servers", "127.0.0.1:9092")))
                        .setTopic("orders")
                        .setDeserializer(
                                ConfluentRecordDeserializer.valueOnly(new SimpleStringSchema()))
                        .setBadDataPolicy(BadDataPolicy.DLQ);

        assertThatThrownBy(builder::build).hasMessageContaining("needs 'bad_data.topic'");
        assertThat(builder.setBadDataTopic("orders-dlq").build()).isNotNull();
    }
}
