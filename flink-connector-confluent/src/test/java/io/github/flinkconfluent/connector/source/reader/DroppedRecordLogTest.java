package io.github.flinkconfluent.connector.source.reader;

import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.options.BadDataPolicy;
import io.github.flinkconfluent.connector.record.ConfluentRecordDeserializer;
import io.github.flinkconfluent.connector.source.split.ConfluentPartitionSplit;
import io.github.flinkconfluent.connector.source.split.ConfluentPartitionSplitState;
import io.github.flinkconfluent.connector.testing.LogCapture;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.util.Collector;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dropped bad records ({@code bad_data = 'drop'}) are logged at most once per interval, and a log
 * line shows the position, the reason and a short escaped prefix of the value: never the record's
 * contents beyond it, and never a decoder's detail, which can quote values.
 */
class DroppedRecordLogTest {

    private static final String SECRET_TAIL = "card=4111111111111111";

    private static ConsumerRecord<byte[], byte[]> record(long offset, byte[] value) {
        return new ConsumerRecord<>("orders", 3, offset, new byte[] {1, 2}, value);
    }

    private static WireFormatException error() {
        return new WireFormatException(
                WireFormatException.Reason.SCHEMA_VIOLATION,
                42,
                "$.card: \"" + SECRET_TAIL + "\" is not one of [...]");
    }

    @Test
    void aLineShowsPositionReasonAndAnEscapedPrefixOnly() {
        byte[] value = ("\u0000\n\r\"\\ab" + SECRET_TAIL).getBytes(StandardCharsets.UTF_8);
        try (LogCapture.Collecting logs = LogCapture.collecting(Level.WARN)) {
            new DroppedRecordLog(() -> 0L, Duration.ofSeconds(10))
                    .dropped(record(7, value), error());

            assertThat(logs.containing("Dropped")).hasSize(1);
            String line = logs.containing("Dropped").get(0);
            assertThat(line)
                    .contains("topic 'orders', partition 3, offset 7")
                    .contains("SCHEMA_VIOLATION")
                    .contains("schema id 42")
                    .contains(value.length + " bytes")
                    .contains("\\x00\\x0a\\x0d\\x22\\x5cabcard=41")
                    .doesNotContain(SECRET_TAIL)
                    .doesNotContain("is not one of")
                    .doesNotContain("\n");
        }
    }

    @Test
    void dropsWithinTheIntervalAreCountedAndReportedWithTheNextLine() {
        AtomicLong nanos = new AtomicLong();
        DroppedRecordLog log = new DroppedRecordLog(nanos::get, Duration.ofSeconds(10));
        try (LogCapture.Collecting logs = LogCapture.collecting(Level.WARN)) {
            for (int i = 0; i < 1000; i++) {
                log.dropped(record(i, new byte[] {9}), error());
            }
            assertThat(logs.containing("Dropped")).hasSize(1);

            nanos.set(Duration.ofSeconds(10).toNanos());
            log.dropped(record(1000, new byte[] {9}), error());

            List<String> lines = logs.containing("Dropped");
            assertThat(lines).hasSize(2);
            assertThat(lines.get(1)).contains("offset 1000").contains("999 more");
        }
    }

    @Test
    void theEmitterLogsDropsThisWay() {
        ConfluentRecordDeserializer<String> failing =
                new ConfluentRecordDeserializer<>() {
                    @Override
                    public void deserialize(
                            ConsumerRecord<byte[], byte[]> record, Collector<String> out)
                            throws WireFormatException {
                        throw error();
                    }

                    @Override
                    public TypeInformation<String> getProducedType() {
                        return Types.STRING;
                    }
                };
        ConfluentRecordEmitter<String> emitter =
                new ConfluentRecordEmitter<>(
                        failing,
                        BadDataPolicy.DROP,
                        new SimpleCounter(),
                        new SimpleCounter(),
                        new SimpleCounter(),
                        new SimpleCounter(),
                        null,
                        reason -> new SimpleCounter());
        ConfluentPartitionSplitState state =
                new ConfluentPartitionSplitState(
                        new ConfluentPartitionSplit(
                                new TopicPartition("orders", 3),
                                0,
                                ConfluentPartitionSplit.NO_STOPPING_OFFSET));
        try (LogCapture.Collecting logs = LogCapture.collecting(Level.WARN)) {
            for (int i = 0; i < 50; i++) {
                emitter.emitRecord(
                        record(i, ("x" + SECRET_TAIL).getBytes(StandardCharsets.UTF_8)),
                        new NoOutput(),
                        state);
            }

            assertThat(logs.containing("Dropped")).hasSize(1);
            assertThat(String.join("\n", logs.lines())).doesNotContain(SECRET_TAIL);
            assertThat(state.nextOffset()).isEqualTo(50);
        }
    }

    private static final class NoOutput implements SourceOutput<String> {
        @Override
        public void collect(String record) {}

        @Override
        public void collect(String record, long timestamp) {}

        @Override
        public void emitWatermark(Watermark watermark) {}

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}
    }
}
