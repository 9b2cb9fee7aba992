package io.github.flinkconfluent.connector.table;

import io.github.flinkconfluent.connector.testing.JobWatch;
import io.github.flinkconfluent.connector.testing.LocalTables;
import io.github.flinkconfluent.testing.ApicurioRegistry;
import io.github.flinkconfluent.testing.ConfluentServicesExtension;
import io.github.flinkconfluent.testing.KafkaBroker;
import io.github.flinkconfluent.testing.TestNames;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.functions.ScalarFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static io.github.flinkconfluent.connector.testing.SqlRows.collect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upsert tables ({@code 'changelog' = 'upsert'}) on a real broker and registry: an updating query
 * written to a topic and read back as a changelog gives the query's result, deletes are tombstones,
 * and a failure in the middle of the job leaves the final state unchanged.
 */
@ExtendWith(ConfluentServicesExtension.class)
class UpsertTablesITCase {

    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(3);

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(4)
                            .build());

    private static TableEnvironment tableEnv(
            KafkaBroker kafka, ApicurioRegistry registry, EnvironmentSettings settings) {
        return LocalTables.tableEnv(kafka, registry.url(), settings, 2, "500 ms");
    }

    private static TableEnvironment streaming(KafkaBroker kafka, ApicurioRegistry registry) {
        return tableEnv(kafka, registry, EnvironmentSettings.inStreamingMode());
    }

    private static final String PROFILE =
            "'connector' = 'confluent', 'connection_profile' = 'local'";

    /** One order: customer {@code i % customers}, amount {@code (i * 7) % 100}. */
    private record Order(int id, int customer, int amount) {
        String json() {
            return "{\"order_id\":"
                    + id
                    + ",\"customer_id\":"
                    + customer
                    + ",\"amount\":"
                    + amount
                    + "}";
        }
    }

    private static List<Order> orders(int from, int count, int customers) {
        List<Order> orders = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            orders.add(new Order(i, i % customers, (i * 7) % 100));
        }
        return orders;
    }

    private static void produce(KafkaBroker kafka, String topic, List<Order> orders) {
        Map<String, Object> config = kafka.clientProperties();
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            for (Order order : orders) {
                producer.send(
                        new ProducerRecord<>(topic, order.json().getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    /** The append table of orders (plain JSON values, no key). */
    private static void ordersTable(TableEnvironment env, String topic, boolean bounded) {
        env.executeSql(
                "CREATE TABLE orders (order_id INT, customer_id INT, amount INT) WITH ("
                        + PROFILE
                        + ", 'format' = 'json', 'schema_registry' = 'false', 'topic' = '"
                        + topic
                        + "', 'type' = 'source', 'source.offset' = 'earliest'"
                        + (bounded ? ", 'source.bounded' = 'latest'" : "")
                        + ")");
    }

    private static final String TOTALS_COLUMNS =
            "customer_id INT, cnt BIGINT, total INT, PRIMARY KEY (customer_id) NOT ENFORCED";

    private static final String GROUP_BY =
            "SELECT customer_id, COUNT(*), SUM(amount) FROM orders GROUP BY customer_id";

    /** {customer_id → [count, sum]} as the query computes it, from the input itself. */
    private static Map<Integer, List<Object>> totalsOf(List<Order> orders) {
        Map<Integer, List<Object>> totals = new TreeMap<>();
        for (Order order : orders) {
            List<Object> t = totals.computeIfAbsent(order.customer(), c -> List.of(0L, 0));
            totals.put(
                    order.customer(),
                    List.of((Long) t.get(0) + 1, (Integer) t.get(1) + order.amount()));
        }
        return totals;
    }

    /**
     * The state a changelog ends in: +I/+U add a row, -U/-D take one equal row away. The rows'
     * fields only, as a sorted multiset, so that two results compare with equals.
     */
    private static Map<String, Integer> materialize(List<Row> changelog) {
        Map<String, Integer> state = new TreeMap<>();
        for (Row row : changelog) {
            Row fields = Row.copy(row);
            fields.setKind(RowKind.INSERT);
            String key = fields.toString();
            int delta =
                    row.getKind() == RowKind.INSERT || row.getKind() == RowKind.UPDATE_AFTER
                            ? 1
                            : -1;
            state.merge(key, delta, Integer::sum);
            state.remove(key, 0);
        }
        assertThat(state.values())
                .as("no row retracted more often than added")
                .allMatch(n -> n > 0);
        return state;
    }

    private static Map<String, Integer> expectedRows(Map<Integer, List<Object>> totals) {
        Map<String, Integer> rows = new TreeMap<>();
        totals.forEach(
                (customer, t) -> rows.put(Row.of(customer, t.get(0), t.get(1)).toString(), 1));
        return rows;
    }

    /** The latest record of each key in the topic, read_committed: what compaction would keep. */
    private static Map<ByteBuffer, ConsumerRecord<byte[], byte[]>> latestPerKey(
            KafkaBroker kafka, String topic) {
        Map<ByteBuffer, ConsumerRecord<byte[], byte[]>> latest = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : kafka.readCommitted(topic)) {
            latest.put(ByteBuffer.wrap(record.key()), record);
        }
        return latest;
    }

    private static String upsertTable(
            String name, String columns, String topic, String type, String extra) {
        return "CREATE TABLE "
                + name
                + " ("
                + columns
                + ") WITH ("
                + PROFILE
                + ", 'topic' = '"
                + topic
                + "', 'type' = '"
                + type
                + "', 'changelog' = 'upsert'"
                + extra
                + ")";
    }

    /** A finished {@link #groupByIntoUpsertTable} run: its session, topics and input. */
    private record GroupByRun(TableEnvironment env, String in, String out, List<Order> input) {}

    /**
     * Produces {@code input} to a new topic and runs the bounded {@link #GROUP_BY} over it into a
     * new upsert table {@code totals} with the given format and sink options, to its end.
     */
    private static GroupByRun groupByIntoUpsertTable(
            KafkaBroker kafka,
            ApicurioRegistry registry,
            TestNames names,
            List<Order> input,
            String tableOptions)
            throws Exception {
        String in = names.topic("orders");
        String out = names.topic("totals");
        kafka.createTopic(in, 2);
        kafka.createTopic(out, 2);
        produce(kafka, in, input);
        TableEnvironment env = streaming(kafka, registry);
        ordersTable(env, in, true);
        env.executeSql(upsertTable("totals", TOTALS_COLUMNS, out, "sink", tableOptions));
        env.executeSql("INSERT INTO totals " + GROUP_BY).await(3, TimeUnit.MINUTES);
        return new GroupByRun(env, in, out, input);
    }

    private static final String READ_BACK =
            ", 'source.offset' = 'earliest', 'source.bounded' = 'latest',"
                    + " 'source.read_mode' = 'read_committed'";

    /**
     * An unwindowed GROUP BY written exactly-once to an upsert table with registry Avro key and
     * value, read back as a changelog, equals the same query run in batch mode over the input.
     */
    @Test
    void anUnwindowedGroupByReadBackEqualsTheBatchResult(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String avro = ", 'format' = 'avro', 'key.format' = 'avro'";
        GroupByRun run =
                groupByIntoUpsertTable(
                        kafka,
                        registry,
                        names,
                        orders(0, 600, 20),
                        avro + ", 'sink.commit_mode' = 'exactly_once'");
        TableEnvironment env = run.env();
        String out = run.out();
        List<Order> input = run.input();

        TableEnvironment batch = tableEnv(kafka, registry, EnvironmentSettings.inBatchMode());
        ordersTable(batch, run.in(), true);
        Map<String, Integer> batchResult = materialize(collect(batch, GROUP_BY));
        assertThat(batchResult).isEqualTo(expectedRows(totalsOf(input)));

        env.executeSql(upsertTable("totals_read", TOTALS_COLUMNS, out, "source", avro + READ_BACK));
        assertThat(materialize(collect(env, "SELECT * FROM totals_read"))).isEqualTo(batchResult);
        // The topic holds the changes, not only the end state; and one key per customer.
        assertThat(kafka.readCommitted(out)).hasSizeGreaterThan(20);
        assertThat(latestPerKey(kafka, out)).hasSize(20);
    }

    /**
     * The customers in the top 3 orders, counted: as bigger orders come, the Top-N evicts the
     * smallest and the count of its customer drops to zero, so the planner deletes that customer's
     * row. Those deletes must arrive as tombstones with the right keys, and reading the table back
     * (and aggregating over it) gives the state without the deleted keys.
     */
    @Test
    void deletesArriveAsTombstones(KafkaBroker kafka, ApicurioRegistry registry, TestNames names)
            throws Exception {
        String in = names.topic("orders");
        String out = names.topic("top3");
        kafka.createTopic(in, 1);
        kafka.createTopic(out, 2);
        List<Order> input = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            // One customer per order, growing amounts: each new order evicts the smallest.
            input.add(new Order(i, i, 10 * i));
        }
        produce(kafka, in, input);
        String columns = "customer STRING, orders BIGINT, PRIMARY KEY (customer) NOT ENFORCED";
        String json = ", 'format' = 'json', 'schema_registry' = 'false'";

        TableEnvironment env = streaming(kafka, registry);
        ordersTable(env, in, true);
        env.executeSql(
                upsertTable(
                        "top3",
                        columns,
                        out,
                        "sink",
                        json + ", 'sink.commit_mode' = 'exactly_once'"));
        env.executeSql(
                        "INSERT INTO top3 SELECT customer, COUNT(*) FROM (SELECT CAST(customer_id"
                                + " AS STRING) AS customer, ROW_NUMBER() OVER (ORDER BY amount"
                                + " DESC) AS rn FROM orders) WHERE rn <= 3 GROUP BY customer")
                .await(3, TimeUnit.MINUTES);

        Map<ByteBuffer, ConsumerRecord<byte[], byte[]>> latest = latestPerKey(kafka, out);
        Map<String, String> lastValues = new HashMap<>();
        latest.forEach(
                (key, record) ->
                        lastValues.put(
                                new String(record.key(), StandardCharsets.UTF_8),
                                record.value() == null
                                        ? null
                                        : new String(record.value(), StandardCharsets.UTF_8)));
        Set<String> live =
                lastValues.entrySet().stream()
                        .filter(e -> e.getValue() != null)
                        .map(Map.Entry::getKey)
                        .collect(Collectors.toSet());
        Set<String> deleted =
                lastValues.entrySet().stream()
                        .filter(e -> e.getValue() == null)
                        .map(Map.Entry::getKey)
                        .collect(Collectors.toSet());
        assertThat(live).containsExactlyInAnyOrder("17", "18", "19");
        assertThat(lastValues.get("19")).isEqualTo("{\"customer\":\"19\",\"orders\":1}");
        // Every customer was in the top 3 once (amounts grow): each evicted one ends deleted.
        assertThat(deleted)
                .containsExactlyInAnyOrderElementsOf(
                        java.util.stream.IntStream.range(0, 17).mapToObj(String::valueOf).toList());

        env.executeSql(upsertTable("top3_read", columns, out, "source", json + READ_BACK));
        assertThat(materialize(collect(env, "SELECT * FROM top3_read")))
                .containsOnlyKeys("+I[17, 1]", "+I[18, 1]", "+I[19, 1]");
        assertThat(materialize(collect(env, "SELECT COUNT(*), SUM(orders) FROM top3_read")))
                .containsOnlyKeys("+I[3, 3]");
    }

    /**
     * A failure in the middle of a GROUP BY written exactly-once through the buffer (flushed only
     * at checkpoints here: no timer, more room than keys) changes nothing in the final state. The
     * failure is armed once a checkpoint has committed data, and fires while the second half of the
     * input is read; customers 5..9 get their last change in the first half only, so a change lost
     * in the buffer across the restart would show.
     */
    @Test
    void aRestartInTheMiddleChangesNothingInTheFinalState(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String in = names.topic("orders");
        String out = names.topic("totals");
        kafka.createTopic(in, 2);
        kafka.createTopic(out, 2);
        FailOnceWhenArmed.reset();
        List<Order> input = new ArrayList<>(orders(0, 300, 10));
        produce(kafka, in, input);
        String json = ", 'format' = 'json', 'schema_registry' = 'false'";

        TableEnvironment env = streaming(kafka, registry);
        env.getConfig().set("restart-strategy.type", "fixed-delay");
        env.getConfig().set("restart-strategy.fixed-delay.attempts", "3");
        env.getConfig().set("restart-strategy.fixed-delay.delay", "100 ms");
        env.createTemporarySystemFunction("fail_once", FailOnceWhenArmed.class);
        ordersTable(env, in, false);
        env.executeSql(
                upsertTable(
                        "totals",
                        TOTALS_COLUMNS,
                        out,
                        "sink",
                        json
                                + ", 'sink.commit_mode' = 'exactly_once',"
                                + " 'sink.buffer_flush.max_rows' = '1000',"
                                + " 'sink.buffer_flush.interval' = '0 s'"));
        JobClient job =
                env.executeSql(
                                "INSERT INTO totals SELECT customer_id, COUNT(*),"
                                        + " SUM(fail_once(amount)) FROM orders GROUP BY"
                                        + " customer_id")
                        .getJobClient()
                        .orElseThrow();
        try {
            JobWatch.until(
                    job,
                    "a checkpoint that committed changes",
                    JOB_TIMEOUT,
                    () -> !kafka.readCommitted(out).isEmpty(),
                    () -> "");
            FailOnceWhenArmed.arm(100);
            List<Order> second = orders(300, 600, 5);
            input.addAll(second);
            produce(kafka, in, second);

            Map<String, Integer> expected = expectedRows(totalsOf(input));
            JobWatch.until(
                    job,
                    "the final state of all input",
                    JOB_TIMEOUT,
                    () -> committedState(kafka, out).equals(totalsOf(input)),
                    () ->
                            "failures "
                                    + FailOnceWhenArmed.FAILURES.get()
                                    + ", committed state "
                                    + committedState(kafka, out));
            assertThat(FailOnceWhenArmed.FAILURES.get()).as("one failure injected").isEqualTo(1);

            env.executeSql(
                    upsertTable("totals_read", TOTALS_COLUMNS, out, "source", json + READ_BACK));
            assertThat(materialize(collect(env, "SELECT * FROM totals_read"))).isEqualTo(expected);
        } finally {
            job.cancel().get(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** {customer → [count, sum]} from the latest committed JSON value of each key. */
    private static Map<Integer, List<Object>> committedState(KafkaBroker kafka, String topic) {
        Map<Integer, List<Object>> state = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> record : latestPerKey(kafka, topic).values()) {
            if (record.value() == null) {
                continue;
            }
            String json = new String(record.value(), StandardCharsets.UTF_8);
            Map<String, Long> fields = new HashMap<>();
            for (String pair : json.replaceAll("[{}\"]", "").split(",")) {
                String[] kv = pair.split(":");
                fields.put(kv[0], Long.parseLong(kv[1]));
            }
            state.put(
                    fields.get("customer_id").intValue(),
                    List.of(fields.get("cnt"), fields.get("total").intValue()));
        }
        return state;
    }

    /**
     * At-least-once with a small buffer (drained every three keys and at the end of input): the
     * final state is the query's.
     */
    @Test
    void atLeastOnceWithABufferEndsInTheQueryResult(
            KafkaBroker kafka, ApicurioRegistry registry, TestNames names) throws Exception {
        String json = ", 'format' = 'json', 'schema_registry' = 'false'";
        GroupByRun run =
                groupByIntoUpsertTable(
                        kafka,
                        registry,
                        names,
                        orders(0, 200, 10),
                        json
                                + ", 'sink.commit_mode' = 'at_least_once',"
                                + " 'sink.buffer_flush.max_rows' = '3'");
        TableEnvironment env = run.env();
        String out = run.out();
        List<Order> input = run.input();

        assertThat(committedState(kafka, out)).isEqualTo(totalsOf(input));
        env.executeSql(upsertTable("totals_read", TOTALS_COLUMNS, out, "source", json + READ_BACK));
        assertThat(materialize(collect(env, "SELECT * FROM totals_read")))
                .isEqualTo(expectedRows(totalsOf(input)));
    }

    /**
     * Fails exactly once, on the n-th call after {@link #arm(int)}, across all subtasks (the
     * MiniCluster runs them in this JVM).
     */
    public static final class FailOnceWhenArmed extends ScalarFunction {
        static final AtomicInteger FAILURES = new AtomicInteger();
        private static final AtomicInteger COUNTDOWN = new AtomicInteger();

        static void reset() {
            FAILURES.set(0);
            COUNTDOWN.set(0);
        }

        static void arm(int calls) {
            COUNTDOWN.set(calls);
        }

        public Integer eval(Integer value) {
            if (COUNTDOWN.get() > 0 && COUNTDOWN.decrementAndGet() == 0) {
                FAILURES.incrementAndGet();
                throw new RuntimeException("injected failure");
            }
            return value;
        }

        @Override
        public boolean isDeterministic() {
            return false;
        }
    }
}
