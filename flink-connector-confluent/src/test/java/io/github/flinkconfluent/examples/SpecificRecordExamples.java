package io.github.flinkconfluent.examples;

import io.github.flinkconfluent.connector.options.CommitMode;
import io.github.flinkconfluent.connector.options.OffsetMode;
import io.github.flinkconfluent.connector.profile.ConnectionProfile;
import io.github.flinkconfluent.connector.profile.ConnectionProfiles;
import io.github.flinkconfluent.connector.serde.ConfluentAvroDeserializer;
import io.github.flinkconfluent.connector.serde.ConfluentAvroSerializer;
import io.github.flinkconfluent.connector.serde.KafkaRecord;
import io.github.flinkconfluent.connector.serde.KafkaRecordDeserializer;
import io.github.flinkconfluent.connector.serde.KafkaRecordSerializer;
import io.github.flinkconfluent.connector.sink.ConfluentSink;
import io.github.flinkconfluent.connector.source.ConfluentSource;
import io.github.flinkconfluent.examples.avro.Order;
import io.github.flinkconfluent.examples.avro.OrderKey;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.Map;

/**
 * The SpecificRecord examples of {@code docs/datastream.md}; the doc quotes the regions between
 * {@code [START name]} and {@code [END name]}, and {@code DataStreamDocsTest} keeps the two equal.
 */
public final class SpecificRecordExamples {

    private SpecificRecordExamples() {}

    /** The profile the examples use, defined in Flink's configuration. */
    static ConnectionProfile profile(Configuration flinkConfiguration) {
        // [START profile]
        // In config.yaml (or the job's Configuration):
        //   confluent.profiles.my_cluster.bootstrap.servers: broker:9092
        //   confluent.profiles.my_cluster.schema-registry.endpoint: https://registry:8081
        //   confluent.profiles.my_cluster.schema-registry.api-key: '{{SR_KEY}}'
        //   confluent.profiles.my_cluster.schema-registry.api-secret: '{{SR_SECRET}}'
        ConnectionProfile profile =
                ConnectionProfiles.resolve("my_cluster", flinkConfiguration, Map.of());
        // [END profile]
        return profile;
    }

    /** Reads {@code orders} as generated {@link Order} objects. */
    static DataStream<Order> readOrders(StreamExecutionEnvironment env, ConnectionProfile profile) {
        // [START read-specific]
        ConfluentSource<Order> source =
                ConfluentSource.<Order>builder()
                        .setConnectionProfile(profile)
                        .setTopic("orders")
                        .setStartingOffset(OffsetMode.EARLIEST)
                        .setDeserializer(
                                ConfluentAvroDeserializer.forSpecific(Order.class, profile))
                        .build();
        DataStream<Order> orders =
                env.fromSource(source, WatermarkStrategy.noWatermarks(), "orders");
        // [END read-specific]
        return orders;
    }

    /** Writes {@link Order} objects to {@code orders-out}, registering under orders-out-value. */
    static void writeOrders(DataStream<Order> orders, ConnectionProfile profile) {
        // [START write-specific]
        orders.sinkTo(
                        ConfluentSink.<Order>builder()
                                .setConnectionProfile(profile)
                                .setTopic("orders-out")
                                .setCommitMode(CommitMode.EXACTLY_ONCE)
                                .setRecordSerializer(
                                        ConfluentAvroSerializer.forSpecific(Order.class, profile))
                                .build())
                .uid("orders-out");
        // [END write-specific]
    }

    /**
     * Copies keyed orders from {@code input} to {@code output} exactly once, keeping keys, headers
     * and timestamps; the e2e test runs this job on a standalone cluster.
     */
    public static void copyKeyedOrders(
            StreamExecutionEnvironment env,
            ConnectionProfile profile,
            String input,
            String output,
            boolean bounded) {
        // [START copy-keyed]
        ConfluentSource<KafkaRecord<OrderKey, Order>> source =
                ConfluentSource.<KafkaRecord<OrderKey, Order>>builder()
                        .setConnectionProfile(profile)
                        .setTopic(input)
                        .setStartingOffset(OffsetMode.EARLIEST)
                        .setBounded(bounded)
                        .setDeserializer(
                                KafkaRecordDeserializer.of(
                                        ConfluentAvroDeserializer.forSpecific(
                                                OrderKey.class, profile),
                                        ConfluentAvroDeserializer.forSpecific(
                                                Order.class, profile)))
                        .build();
        ConfluentSink<KafkaRecord<OrderKey, Order>> sink =
                ConfluentSink.<KafkaRecord<OrderKey, Order>>builder()
                        .setConnectionProfile(profile)
                        .setTopic(output)
                        .setCommitMode(CommitMode.EXACTLY_ONCE)
                        .setRecordSerializer(
                                KafkaRecordSerializer.of(
                                        ConfluentAvroSerializer.forSpecific(
                                                OrderKey.class, profile),
                                        ConfluentAvroSerializer.forSpecific(Order.class, profile)))
                        .build();
        env.enableCheckpointing(1_000);
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "keyed orders")
                .uid("keyed-orders")
                .filter(order -> order.value() != null) // tombstones: nothing to copy
                .sinkTo(sink)
                .uid("keyed-orders-out");
        // [END copy-keyed]
    }
}
