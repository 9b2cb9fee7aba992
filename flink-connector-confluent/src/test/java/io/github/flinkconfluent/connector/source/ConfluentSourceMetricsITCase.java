package io.github.flinkconfluent.connector.source;

import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.options.BadDataPolicy;
import io.github.flinkconfluent.connector.options.OffsetMode;
import io.github.flinkconfluent.connector.profile.ConnectionProfiles;
import io.github.flinkconfluent.connector.record.ConfluentRecordDeserializer;
import io.github.flinkconfluent.testing.ConfluentServicesExtension;
import io.github.flinkconfluent.testing.KafkaBroker;
import io.github.flinkconfluent.testing.Poll;
import io.github.flinkconfluent.testing.TestNames;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The source's metrics: per-partition lag and bad records, read through a metric reporter. */
@ExtendWith(ConfluentServicesExtension.class)
class ConfluentSourceMetricsITCase {

    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setConfiguration(REPORTER.addToConfiguration(new Configuration()))
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @Test
    void lagPerPartitionAndDroppedRecordsAreReported(KafkaBroker kafka, TestNames names)
            throws Exception {
        String topic = names.topic("metrics");
        kafka.createTopic(topic, 2);
        Map<String, Object> config = kafka.clientProperties();
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            for (int i = 0; i < 12; i++) {
                producer.send(new ProducerRecord<>(topic, i % 2, null, i % 6 == 5 ? "BAD" : "ok"));
            }
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        env.fromSource(
                        ConfluentSource.<String>builder()
                                .setConnectionProfile(
                                        ConnectionProfiles.resolve(
                                                null,
                                                new Configuration(),
                                                Map.of(
                                                        "bootstrap.servers",
                                                        kafka.bootstrapServers())))
                                .setTopic(topic)
                                .setStartingOffset(OffsetMode.EARLIEST)
                                .setBadDataPolicy(BadDataPolicy.DROP)
                                .setDeserializer(new DropBad())
                                .build(),
                        WatermarkStrategy.noWatermarks(),
                        "source")
                .sinkTo(new DiscardingSink<>());
        JobClient job = env.executeAsync();
        JobID id = job.getJobID();
        try {
            Poll.until(
                    "two dropped records and no lag on either partition",
                    Duration.ofSeconds(120),
                    () ->
                            sum(id, ".*badRecordsDropped") == 2
                                    && sum(id, ".*numRecordsInErrors") == 2
                                    && REPORTER.findMetrics(id, ".*recordsLag").size() == 2
                                    && sum(id, ".*recordsLag") == 0,
                    () -> REPORTER.findMetrics(id, ".*(recordsLag|badRecordsDropped)").toString());
            assertPartitionGroups(id, topic);
        } finally {
            job.cancel().get(120, TimeUnit.SECONDS);
        }
    }

    private static void assertPartitionGroups(JobID id, String topic) {
        org.assertj.core.api.Assertions.assertThat(
                        REPORTER.findMetrics(id, ".*recordsLag").keySet())
                .anySatisfy(
                        k ->
                                org.assertj.core.api.Assertions.assertThat(k)
                                        .contains(topic)
                                        .contains("partition.0"))
                .anySatisfy(
                        k ->
                                org.assertj.core.api.Assertions.assertThat(k)
                                        .contains(topic)
                                        .contains("partition.1"));
    }

    private static long sum(JobID id, String pattern) {
        long total = 0;
        for (Metric metric : REPORTER.findMetrics(id, pattern).values()) {
            if (metric instanceof Counter counter) {
                total += counter.getCount();
            } else if (metric instanceof Gauge<?> gauge && gauge.getValue() instanceof Number n) {
                total += n.longValue();
            }
        }
        return total;
    }

    /** Values "BAD" are undecodable. */
    private static final class DropBad implements ConfluentRecordDeserializer<String> {
        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<String> out)
                throws WireFormatException {
            String value = new String(record.value(), StandardCharsets.UTF_8);
            if (value.equals("BAD")) {
                throw new WireFormatException(
                        WireFormatException.Reason.MALFORMED_BODY, -1, "test says bad");
            }
            out.collect(value);
        }

        @Override
        public TypeInformation<String> getProducedType() {
            return Types.STRING;
        }
    }
}
