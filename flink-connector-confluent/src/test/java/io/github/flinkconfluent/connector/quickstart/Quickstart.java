package io.github.flinkconfluent.connector.quickstart;

import io.github.flinkconfluent.connector.format.avro.AvroRegistrySerializer;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClients;
import io.github.flinkconfluent.connector.registry.SchemaRegistryConfig;
import io.github.flinkconfluent.testing.ApicurioRegistry;
import io.github.flinkconfluent.testing.KafkaBroker;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The README's first command: the seed's example end to end on real services started here — a KRaft
 * Kafka broker and an Apicurio Schema Registry — and Flink running in this JVM.
 *
 * <p>It registers an Avro {@code Order} schema, starts the seed's {@code orders} table (profile set
 * as a SQL session would with {@code SET}, {@code 'source.offset' = 'latest'}, {@code
 * read_committed}) with a 5-second tumbling-window count per customer, produces registry-framed
 * Avro orders while the query runs, prints each window as Flink emits it, and checks every printed
 * count against what was produced. Everything is stopped at the end, also on failure.
 */
public final class Quickstart {

    private static final Schema ORDER =
            SchemaBuilder.record("Order")
                    .namespace("shop")
                    .fields()
                    .requiredInt("customer_id")
                    .requiredInt("order_id")
                    .endRecord();

    private static final int WINDOWS_TO_SHOW = 3;
    private static final long WINDOW_MILLIS = 5_000;

    private Quickstart() {}

    public static void main(String[] args) throws Exception {
        try (KafkaBroker kafka = new KafkaBroker();
                ApicurioRegistry registry = new ApicurioRegistry()) {
            step("Starting a Kafka broker (KRaft) and an Apicurio Schema Registry on 127.0.0.1");
            Thread registryStart = new Thread(registry::start);
            registryStart.start();
            kafka.start();
            registryStart.join();
            step("Kafka at " + kafka.bootstrapServers() + ", registry at " + registry.url());
            kafka.createTopic("order_topic", 3);
            run(kafka, registry);
        }
        step("Stopped the broker and the registry. Done.");
        System.exit(0);
    }

    private static void run(KafkaBroker kafka, ApicurioRegistry registry) throws Exception {
        SchemaRegistryClient client =
                SchemaRegistryClients.create(SchemaRegistryConfig.builder(registry.url()).build());
        AvroRegistrySerializer serializer =
                new AvroRegistrySerializer(client, "order_topic-value", ORDER, true);
        step("Registered the Avro schema shop.Order as id " + serializer.schemaId());

        Configuration config = new Configuration();
        config.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        config.set(RestOptions.ADDRESS, "127.0.0.1");
        StreamExecutionEnvironment flink =
                StreamExecutionEnvironment.getExecutionEnvironment(config);
        flink.setParallelism(1);
        StreamTableEnvironment sql =
                StreamTableEnvironment.create(flink, EnvironmentSettings.inStreamingMode());
        String[] statements = {
            "SET 'confluent.profiles.my_cluster.bootstrap.servers' = '"
                    + kafka.bootstrapServers()
                    + "'",
            "SET 'confluent.profiles.my_cluster.schema-registry.endpoint' = '"
                    + registry.url()
                    + "'",
            "CREATE TABLE orders (\n"
                    + "  customer_id INT,\n"
                    + "  order_id INT\n"
                    + ") WITH (\n"
                    + "  'connector' = 'confluent',\n"
                    + "  'connection_profile' = 'my_cluster',\n"
                    + "  'format' = 'avro',\n"
                    + "  'topic' = 'order_topic',\n"
                    + "  'type' = 'source',\n"
                    + "  'source.offset' = 'latest',\n"
                    + "  'source.read_mode' = 'read_committed'\n"
                    + ")",
            "CREATE TABLE orders_by_time (\n"
                    + "  order_time TIMESTAMP_LTZ(3) METADATA FROM 'timestamp',\n"
                    + "  WATERMARK FOR order_time AS order_time\n"
                    + ") LIKE orders",
        };
        for (String statement : statements) {
            System.out.println("\nFlink SQL> " + statement + ";");
            if (statement.startsWith("SET ")) {
                // What the SQL client does with SET: a session configuration entry.
                String[] kv = statement.substring(4).split("=", 2);
                sql.getConfig().set(unquote(kv[0]), unquote(kv[1]));
            } else {
                sql.executeSql(statement);
            }
        }
        String query =
                "SELECT window_start, customer_id, COUNT(*) AS orders\n"
                        + "FROM TABLE(TUMBLE(TABLE orders_by_time, DESCRIPTOR(order_time),"
                        + " INTERVAL '5' SECOND))\n"
                        + "GROUP BY window_start, window_end, customer_id";
        System.out.println("\nFlink SQL> " + query + ";\n");

        Map<String, AtomicInteger> produced = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        TableResult result = sql.executeSql(query);
        Thread producer =
                new Thread(() -> produce(kafka, serializer, produced, stop), "order-producer");
        int checked = 0;
        try (CloseableIterator<Row> rows = result.collect()) {
            waitUntilRunning(result);
            producer.start();
            Map<Long, Integer> windowsSeen = new TreeMap<>();
            while (rows.hasNext() && windowsSeen.size() <= WINDOWS_TO_SHOW) {
                Row row = rows.next();
                java.time.LocalDateTime start = (java.time.LocalDateTime) row.getField(0);
                long startMillis =
                        start.atZone(java.time.ZoneId.systemDefault()).toInstant().toEpochMilli();
                windowsSeen.merge(startMillis, 1, Integer::sum);
                if (windowsSeen.size() > WINDOWS_TO_SHOW) {
                    break;
                }
                int customer = (Integer) row.getField(1);
                long count = (Long) row.getField(2);
                AtomicInteger expected = produced.get(startMillis + "/" + customer);
                int want = expected == null ? 0 : expected.get();
                System.out.printf(
                        "  window %s  customer %d  orders %3d   (produced %3d) %s%n",
                        start, customer, count, want, count == want ? "ok" : "MISMATCH");
                if (count != want && windowsSeen.size() > 1) {
                    throw new IllegalStateException(
                            "Window "
                                    + start
                                    + " customer "
                                    + customer
                                    + " counted "
                                    + count
                                    + " orders, but "
                                    + want
                                    + " were produced in it");
                }
                checked++;
            }
        } finally {
            stop.set(true);
            producer.join(TimeUnit.SECONDS.toMillis(30));
        }
        if (checked == 0) {
            throw new IllegalStateException("The query printed no window");
        }
        step("The query printed " + checked + " window counts; the job was cancelled.");
    }

    /** Orders for customers 1..4 with the current time, until stopped; counts per window. */
    private static void produce(
            KafkaBroker kafka,
            AvroRegistrySerializer serializer,
            Map<String, AtomicInteger> produced,
            AtomicBoolean stop) {
        Map<String, Object> config = kafka.clientProperties();
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            for (int orderId = 0; !stop.get(); orderId++) {
                long now = System.currentTimeMillis();
                int customer = 1 + (orderId * 7 % 4);
                GenericRecord order = new GenericData.Record(ORDER);
                order.put("customer_id", customer);
                order.put("order_id", orderId);
                producer.send(
                        new ProducerRecord<>(
                                "order_topic",
                                orderId % 3,
                                now,
                                null,
                                serializer.serialize(order)));
                producer.flush();
                produced.computeIfAbsent(
                                (now - now % WINDOW_MILLIS) + "/" + customer,
                                k -> new AtomicInteger())
                        .incrementAndGet();
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(40));
            }
        }
    }

    private static void waitUntilRunning(TableResult result) throws Exception {
        var job = result.getJobClient().orElseThrow();
        // Generous: a first start on a busy 2-core machine can take far longer than a minute.
        io.github.flinkconfluent.testing.Poll.until(
                "the Flink job to run",
                java.time.Duration.ofSeconds(180),
                () -> {
                    try {
                        return job.getJobStatus().get()
                                == org.apache.flink.api.common.JobStatus.RUNNING;
                    } catch (Exception e) {
                        throw new IllegalStateException("Cannot read the job's status", e);
                    }
                });
        // 'latest' is fixed when the source's enumerator first lists the partitions; give it a
        // moment so that the first window is complete (it is reported, but not checked, anyway).
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(2));
    }

    private static String unquote(String text) {
        String t = text.trim();
        return t.substring(1, t.length() - 1);
    }

    private static void step(String message) {
        System.out.println("==> " + message);
    }
}
