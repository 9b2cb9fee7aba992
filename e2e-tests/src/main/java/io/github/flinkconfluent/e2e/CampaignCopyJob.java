package io.github.flinkconfluent.e2e;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

import java.time.Duration;

/**
 * The job of the fault campaign ({@code FaultCampaignITCase}): the seed's registry-Avro order
 * record copied from one topic to another by SQL, a {@code 'confluent'} source into an {@code
 * exactly_once} {@code 'confluent'} sink, checkpointing every second. It is submitted as a jar over
 * the REST API, so faults hit the same code path a user's job runs on a standalone cluster.
 *
 * <p>The consumer group receives the offsets of every completed checkpoint; the campaign reads them
 * to know, without guessing a time, when the job has consumed all of its input.
 *
 * <p>Arguments: {@code <bootstrap servers> <registry url> <input topic> <output topic> <group id>
 * <sink.transaction.timeout> <client request.timeout.ms>}.
 */
public final class CampaignCopyJob {

    private CampaignCopyJob() {}

    public static void main(String[] args) {
        String bootstrap = args[0];
        String registry = args[1];
        String input = args[2];
        String output = args[3];
        String groupId = args[4];
        String transactionTimeout = args[5];
        String requestTimeoutMs = args[6];

        Configuration config = new Configuration();
        config.setString("execution.checkpointing.interval", "1 s");
        // A checkpoint stuck on a paused broker fails after 10 s, which fails the job over.
        config.setString("execution.checkpointing.timeout", "10 s");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.enableCheckpointing(Duration.ofSeconds(1).toMillis());
        env.getCheckpointConfig().setCheckpointTimeout(Duration.ofSeconds(10).toMillis());
        StreamTableEnvironment tables = StreamTableEnvironment.create(env);
        tables.getConfig().set("confluent.profiles.campaign.bootstrap.servers", bootstrap);
        tables.getConfig().set("confluent.profiles.campaign.schema-registry.endpoint", registry);
        tables.executeSql(
                String.join(
                        "\n",
                        "CREATE TABLE orders (",
                        "  customer_id INT,",
                        "  order_id INT",
                        ") WITH (",
                        "  'connector' = 'confluent',",
                        "  'connection_profile' = 'campaign',",
                        "  'format' = 'avro',",
                        "  'topic' = '" + input + "',",
                        "  'type' = 'source',",
                        "  'source.offset' = 'earliest',",
                        "  'source.read_mode' = 'read_committed',",
                        "  'source.group_id' = '" + groupId + "',",
                        "  'properties.request.timeout.ms' = '" + requestTimeoutMs + "'",
                        ")"));
        tables.executeSql(
                String.join(
                        "\n",
                        "CREATE TABLE orders_copy (",
                        "  customer_id INT,",
                        "  order_id INT",
                        ") WITH (",
                        "  'connector' = 'confluent',",
                        "  'connection_profile' = 'campaign',",
                        "  'format' = 'avro',",
                        "  'topic' = '" + output + "',",
                        "  'type' = 'sink',",
                        "  'sink.commit_mode' = 'exactly_once',",
                        "  'sink.transaction.timeout' = '" + transactionTimeout + "',",
                        "  'properties.request.timeout.ms' = '" + requestTimeoutMs + "'",
                        ")"));
        tables.executeSql("INSERT INTO orders_copy SELECT customer_id, order_id FROM orders");
    }
}
