package io.github.flinkconfluent.connector.table;

import io.github.flinkconfluent.connector.record.ConfluentPartitioner;
import io.github.flinkconfluent.testing.ApicurioRegistry;
import io.github.flinkconfluent.testing.ConfluentServicesExtension;
import io.github.flinkconfluent.testing.KafkaBroker;
import io.github.flinkconfluent.testing.TestNames;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A table written for Flink's {@code 'connector' = 'kafka'} ({@code avro-confluent} with its
 * registry URL, {@code properties.bootstrap.servers}, exactly-once delivery), with only the
 * connector changed, written and read back on a real broker and registry.
 */
@ExtendWith(ConfluentServicesExtension.class)
class KafkaTablePortingITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @Test
    void aPortedKafkaTableRoundTripsThroughTheRegistry(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String topic = names.topic("orders");
        kafka.createTopic(topic, 1);
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        env.getConfig().set("execution.checkpointing.interval", "500 ms");
        env.executeSql(
                KafkaTablePortingPlanningTest.ported(
                        KafkaTablePortingPlanningTest.kafkaDdl(
                                "orders", topic, registry.url(), kafka.bootstrapServers())));

        env.executeSql(
                        "INSERT INTO orders VALUES (1, 'ada', 12.5), (2, 'bob', 3.0),"
                                + " (3, 'cy', 99.25)")
                .await(3, TimeUnit.MINUTES);

        HttpResponse<String> latest =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        registry.url()
                                                                + "/subjects/"
                                                                + TestNames.valueSubject(topic)
                                                                + "/versions/latest"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(latest.statusCode()).isEqualTo(200);
        assertThat(latest.body()).contains("order_id", "customer", "amount");
        List<String> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = env.executeSql("SELECT * FROM orders").collect()) {
            while (rows.size() < 3 && it.hasNext()) {
                rows.add(it.next().toString());
            }
        }
        assertThat(rows).containsExactly("+I[1, ada, 12.5]", "+I[2, bob, 3.0]", "+I[3, cy, 99.25]");
    }

    /** A partitioner of a user's, named by class in 'sink.partitioner': the last partition. */
    public static final class LastPartition implements ConfluentPartitioner {
        @Override
        public int partition(byte[] key, byte[] value, String topic, int[] partitions) {
            return partitions[partitions.length - 1];
        }
    }

    @Test
    void sinkPartitionerDecidesWhereKeyedRowsGo(KafkaBroker kafka, TestNames names)
            throws Exception {
        TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            values.append(i == 0 ? "" : ", ")
                    .append("('k")
                    .append(i)
                    .append("', ")
                    .append(i)
                    .append(")");
        }
        for (String partitioner : List.of("default", "fixed", LastPartition.class.getName())) {
            String topic = names.topic("p-" + partitioner.length());
            kafka.createTopic(topic, 3);
            String table = "out_" + partitioner.length();
            env.executeSql(
                    "CREATE TABLE "
                            + table
                            + " (k STRING, n INT) WITH ('connector' = 'confluent',"
                            + " 'properties.bootstrap.servers' = '"
                            + kafka.bootstrapServers()
                            + "', 'topic' = '"
                            + topic
                            + "', 'format' = 'json', 'key.format' = 'raw', 'key.fields' = 'k',"
                            + " 'sink.parallelism' = '1', 'sink.partitioner' = '"
                            + partitioner
                            + "')");
            env.executeSql("INSERT INTO " + table + " VALUES " + values).await(3, TimeUnit.MINUTES);

            Set<Integer> used =
                    kafka.readCommitted(topic).stream()
                            .map(ConsumerRecord::partition)
                            .collect(Collectors.toSet());
            assertThat(kafka.readCommitted(topic)).as(partitioner).hasSize(30);
            switch (partitioner) {
                case "default" -> assertThat(used).as("by key hash").hasSizeGreaterThan(1);
                case "fixed" -> assertThat(used).as("subtask 0 of 1").containsExactly(0);
                default -> assertThat(used).as("the class").containsExactly(2);
            }
        }
    }
}
