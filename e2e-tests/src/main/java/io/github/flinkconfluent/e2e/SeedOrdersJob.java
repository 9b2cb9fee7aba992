package io.github.flinkconfluent.e2e;

import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

/**
 * The seed's pipeline as a job jar: the seed's {@code orders} DDL over registry-framed Avro, copied
 * into an {@code exactly_once} sink table. Submitted over the REST API with the connector bundled
 * in the jar (not in the cluster's {@code lib/}), so planning runs in the JobManager with the jar's
 * class loader and the tasks get the connector from the job's user jar.
 *
 * <p>Arguments: {@code <bootstrap servers> <registry url> <input topic> <output topic>
 * <bounded|unbounded>}; bounded copies what the topic holds at start and finishes.
 */
public final class SeedOrdersJob {

    private SeedOrdersJob() {}

    public static void main(String[] args) {
        String bootstrap = args[0];
        String registry = args[1];
        String input = args[2];
        String output = args[3];
        boolean bounded = args[4].equals("bounded");

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(1000);
        StreamTableEnvironment tables = StreamTableEnvironment.create(env);
        tables.getConfig().set("confluent.profiles.my_cluster.bootstrap.servers", bootstrap);
        tables.getConfig().set("confluent.profiles.my_cluster.schema-registry.endpoint", registry);
        tables.executeSql(
                "CREATE TABLE orders (\n"
                        + "  customer_id INT,\n"
                        + "  order_id INT\n"
                        + ") WITH (\n"
                        + "  'connector' = 'confluent',\n"
                        + "  'connection_profile' = 'my_cluster',\n"
                        + "  'format' = 'avro',\n"
                        + "  'topic' = '"
                        + input
                        + "',\n"
                        + "  'type' = 'source',\n"
                        + "  'source.offset' = 'latest',\n"
                        + "  'source.read_mode' = 'read_committed'\n"
                        + ")");
        tables.executeSql(
                "CREATE TABLE order_copies (\n"
                        + "  customer_id INT,\n"
                        + "  order_id INT\n"
                        + ") WITH (\n"
                        + "  'connector' = 'confluent',\n"
                        + "  'connection_profile' = 'my_cluster',\n"
                        + "  'format' = 'avro',\n"
                        + "  'topic' = '"
                        + output
                        + "',\n"
                        + "  'type' = 'sink',\n"
                        + "  'sink.commit_mode' = 'exactly_once'\n"
                        + ")");
        // Submits the job; the REST submission runs main() to here and returns its job id.
        tables.executeSql(
                "INSERT INTO order_copies SELECT customer_id, order_id FROM orders"
                        + " /*+ OPTIONS('source.offset' = 'earliest'"
                        + (bounded ? ", 'source.bounded' = 'latest'" : "")
                        + ") */");
    }
}
