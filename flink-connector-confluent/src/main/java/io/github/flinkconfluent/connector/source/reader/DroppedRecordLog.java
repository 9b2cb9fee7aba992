package io.github.flinkconfluent.connector.source.reader;

import io.github.flinkconfluent.connector.format.wire.WireFormatException;

import org.apache.flink.annotation.Internal;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Logs the records a source drops under {@code bad_data = 'drop'}: at most one line per interval,
 * and without their contents.
 *
 * <p>Whoever can produce to a topic decides what a dropped record holds, and how many there are. A
 * line per record would let a flood of bad records fill the TaskManager's disk and drown every
 * other message, so one line per {@link #INTERVAL} names the first record dropped after a quiet
 * period and how many were dropped since the previous line (the metrics count every one). A record
 * may hold personal data or secrets, and a decoder's detail can quote its values (a JSON Schema
 * violation names the offending value), so a line shows the position, the sizes, the reason and
 * schema id, and the first {@link #PREFIX_BYTES} bytes of the value with everything but printable
 * ASCII escaped as {@code \xNN} — enough to tell a wrong format or a missing magic byte, and no way
 * to break the log line.
 */
@Internal
final class DroppedRecordLog {

    private static final Logger LOG = LoggerFactory.getLogger(ConfluentRecordEmitter.class);

    /** The shortest time between two lines. */
    static final Duration INTERVAL = Duration.ofSeconds(10);

    /** How much of a dropped record's value a line shows. */
    static final int PREFIX_BYTES = 16;

    private final LongSupplier nanoTime;
    private final long intervalNanos;
    private boolean logged;
    private long lastLine;
    private long suppressed;

    DroppedRecordLog() {
        this(System::nanoTime, INTERVAL);
    }

    DroppedRecordLog(LongSupplier nanoTime, Duration interval) {
        this.nanoTime = nanoTime;
        this.intervalNanos = interval.toNanos();
    }

    /** Called from the task thread for each dropped record. */
    void dropped(ConsumerRecord<byte[], byte[]> record, WireFormatException error) {
        long now = nanoTime.getAsLong();
        if (logged && now - lastLine < intervalNanos) {
            suppressed++;
            return;
        }
        LOG.warn(
                "Dropped an undecodable record at topic '{}', partition {}, offset {} ({}{}; key {}"
                        + " bytes, value {} bytes, value starts with \"{}\"){}. Details are not"
                        + " logged as they can quote the record's values; set 'bad_data' ="
                        + " 'fail' on a copy of the table, or read the record at that offset, to"
                        + " see them.",
                record.topic(),
                record.partition(),
                record.offset(),
                error.reason(),
                error.schemaId() >= 0 ? ", schema id " + error.schemaId() : "",
                record.key() == null ? 0 : record.key().length,
                record.value() == null ? 0 : record.value().length,
                prefix(record.value()),
                suppressed == 0
                        ? ""
                        : "; " + suppressed + " more dropped since the previous such line");
        logged = true;
        lastLine = now;
        suppressed = 0;
    }

    /** The first {@link #PREFIX_BYTES} bytes, printable ASCII as is, others as {@code \xNN}. */
    static String prefix(byte[] value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        int n = Math.min(value.length, PREFIX_BYTES);
        for (int i = 0; i < n; i++) {
            int b = value[i] & 0xff;
            if (b >= 0x20 && b < 0x7f && b != '"' && b != '\\') {
                out.append((char) b);
            } else {
                out.append(String.format("\\x%02x", b));
            }
        }
        return value.length > n ? out + "..." : out.toString();
    }
}
