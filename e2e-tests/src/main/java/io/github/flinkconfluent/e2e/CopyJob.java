package io.github.flinkconfluent.e2e;

import io.github.flinkconfluent.connector.options.CommitMode;
import io.github.flinkconfluent.connector.options.OffsetMode;
import io.github.flinkconfluent.connector.profile.ConnectionProfile;
import io.github.flinkconfluent.connector.profile.ConnectionProfiles;
import io.github.flinkconfluent.connector.record.ConfluentRecordDeserializer;
import io.github.flinkconfluent.connector.record.ConfluentRecordSerializer;
import io.github.flinkconfluent.connector.sink.ConfluentSink;
import io.github.flinkconfluent.connector.source.ConfluentSource;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.Locale;
import java.util.Map;

/**
 * A DataStream job that the end-to-end tests submit as a jar over the REST API: it reads strings
 * from one topic with {@link ConfluentSource}, upper-cases them, and writes them exactly-once to
 * another with {@link ConfluentSink} — the builders as users call them, against the shaded
 * connector in the cluster's {@code lib/}.
 *
 * <p>Arguments: {@code <bootstrap servers> <input topic> <output topic> <bounded|unbounded>}.
 */
public final class CopyJob {

    private CopyJob() {}

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String input = args[1];
        String output = args[2];
        boolean bounded = args[3].equals("bounded");
        ConnectionProfile profile =
                ConnectionProfiles.resolve(
                        null, new Configuration(), Map.of("bootstrap.servers", bootstrap));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing(500);
        env.fromSource(
                        ConfluentSource.<String>builder()
                                .setConnectionProfile(profile)
                                .setTopic(input)
                                .setStartingOffset(OffsetMode.EARLIEST)
                                .setBounded(bounded)
                                .setDeserializer(
                                        ConfluentRecordDeserializer.valueOnly(
                                                new SimpleStringSchema()))
                                .build(),
                        WatermarkStrategy.noWatermarks(),
                        "orders")
                .uid("orders")
                .map(value -> value.toUpperCase(Locale.ROOT))
                .uid("upper")
                .sinkTo(
                        ConfluentSink.<String>builder()
                                .setConnectionProfile(profile)
                                .setTopic(output)
                                .setCommitMode(CommitMode.EXACTLY_ONCE)
                                .setRecordSerializer(
                                        ConfluentRecordSerializer.valueOnly(
                                                new SimpleStringSchema()))
                                .build())
                .uid("orders-upper");
        env.execute("copy " + input + " -> " + output);
    }
}
