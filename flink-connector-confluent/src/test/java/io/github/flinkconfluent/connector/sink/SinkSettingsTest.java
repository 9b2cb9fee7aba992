package io.github.flinkconfluent.connector.sink;

import io.github.flinkconfluent.connector.profile.ConnectionProfiles;
import io.github.flinkconfluent.connector.record.ConfluentRecordSerializer;

import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The DataStream builder and the SQL table refuse a negative buffer size with the same words. */
class SinkSettingsTest {

    private static final String REFUSAL =
            "'sink.buffer_flush.max_rows' is -1; use 0 (no buffer) or a positive number of keys.";

    @Test
    void theRuleItself() {
        Configuration options = new Configuration();
        assertThat(SinkSettings.bufferMaxKeys(options)).isZero();
        options.setString("sink.buffer_flush.max_rows", "-1");
        assertThatThrownBy(() -> SinkSettings.bufferMaxKeys(options)).hasMessage(REFUSAL);
    }

    @Test
    void theBuilderAndTheTableSayTheSame() {
        ConfluentSink.Builder<String> builder =
                ConfluentSink.<String>builder()
                        .setConnectionProfile(
                                ConnectionProfiles.resolve(
                                        null,
                                        new Configuration(),
                                        Map.of("bootstrap.servers", "127.0.0.1:9092")))
                        .setTopic("out")
                        .setRecordSerializer(
                                ConfluentRecordSerializer.valueOnly(new SimpleStringSchema()))
                        .setBufferFlush(-1, Duration.ZERO);
        assertThatThrownBy(builder::build).hasMessage(REFUSAL);

        TableEnvironment sql = TableEnvironment.create(EnvironmentSettings.inStreamingMode());
        sql.executeSql(
                "CREATE TABLE t (k STRING, v STRING, PRIMARY KEY (k) NOT ENFORCED) WITH"
                        + " ('connector' = 'confluent', 'bootstrap.servers' = '127.0.0.1:9092',"
                        + " 'topic' = 'out', 'type' = 'sink', 'format' = 'json',"
                        + " 'changelog' = 'upsert', 'sink.buffer_flush.max_rows' = '-1')");
        assertThatThrownBy(() -> sql.explainSql("INSERT INTO t VALUES ('a', 'b')"))
                .rootCause()
                .hasMessageEndingWith(REFUSAL);
    }
}
