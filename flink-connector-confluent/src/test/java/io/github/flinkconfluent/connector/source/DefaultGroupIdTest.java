package io.github.flinkconfluent.connector.source;

import io.github.flinkconfluent.connector.profile.ConnectionProfiles;
import io.github.flinkconfluent.connector.record.ConfluentRecordDeserializer;

import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.configuration.Configuration;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One rule for the consumer group a source commits to when none is set, shared by the DataStream
 * builder and the table factory: {@code <source.group_id_prefix>-<name>}, where the name is what
 * the source reads (the table in SQL, the topics or pattern in DataStream) with every character
 * outside {@code [A-Za-z0-9._-]} replaced by {@code _}.
 */
class DefaultGroupIdTest {

    private static ConfluentSource.Builder<String> builder() {
        return ConfluentSource.<String>builder()
                .setConnectionProfile(
                        ConnectionProfiles.resolve(
                                null,
                                new Configuration(),
                                Map.of("bootstrap.servers", "127.0.0.1:9092")))
                .setDeserializer(ConfluentRecordDeserializer.valueOnly(new SimpleStringSchema()));
    }

    @Test
    void aTableGetsItsSanitizedIdentifier() {
        assertThat(SourceSettings.groupId(new Configuration(), "cat.db.`my orders`"))
                .isEqualTo("flink-confluent-cat.db._my_orders_");
    }

    @Test
    void aDataStreamSourceFollowsTheSameRule() {
        assertThat(builder().setTopic("orders").build().groupId())
                .isEqualTo("flink-confluent-orders");
        assertThat(builder().setTopics("orders", "refunds").build().groupId())
                .isEqualTo("flink-confluent-orders_refunds");
        assertThat(builder().setTopicPattern("orders-.*").build().groupId())
                .isEqualTo("flink-confluent-orders-._");
    }

    @Test
    void aGivenGroupOrPrefixWins() {
        assertThat(builder().setTopic("orders").setGroupId("mine").build().groupId())
                .isEqualTo("mine");
        Configuration options = new Configuration();
        options.setString("source.group_id_prefix", "team-a");
        assertThat(SourceSettings.groupId(options, "orders")).isEqualTo("team-a-orders");
    }
}
