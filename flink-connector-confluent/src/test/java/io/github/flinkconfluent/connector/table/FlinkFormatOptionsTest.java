package io.github.flinkconfluent.connector.table;

import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.IntType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.VarBinaryType;
import org.apache.flink.table.types.logical.VarCharType;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Flink's format names and format options, translated into ours or refused naming the option. */
class FlinkFormatOptionsTest {

    private static final RowType ROW =
            RowType.of(
                    new LogicalType[] {new BigIntType(), new VarCharType(VarCharType.MAX_LENGTH)},
                    new String[] {"id", "name"});

    private static Map<String, String> translate(RowType row, String... keyValues) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            options.put(keyValues[i], keyValues[i + 1]);
        }
        return FlinkFormatOptions.translate(options, row, "t");
    }

    private static String error(RowType row, String... keyValues) {
        return catchThrowableOfType(ValidationException.class, () -> translate(row, keyValues))
                .getMessage();
    }

    @Test
    void avroConfluentBecomesFramedAvroWithTheRegistryOfTheInlineConnection() {
        Map<String, String> options =
                translate(
                        ROW,
                        "format",
                        "avro-confluent",
                        "avro-confluent.url",
                        "http://sr:8081",
                        "avro-confluent.basic-auth.credentials-source",
                        "USER_INFO",
                        "avro-confluent.basic-auth.user-info",
                        "KEY1:se:cret",
                        "avro-confluent.subject",
                        "orders-v1",
                        "properties.bootstrap.servers",
                        "b:9092",
                        "properties.group.id",
                        "g");

        assertThat(options)
                .containsEntry("format", "avro")
                .containsEntry("schema_registry", "true")
                .containsEntry("schema-registry.endpoint", "http://sr:8081")
                .containsEntry("schema-registry.api-key", "KEY1")
                .containsEntry("schema-registry.api-secret", "se:cret")
                .containsEntry("value.subject", "orders-v1")
                .containsEntry("bootstrap.servers", "b:9092")
                .containsEntry("properties.group.id", "g")
                .doesNotContainKeys(
                        "avro-confluent.url",
                        "avro-confluent.basic-auth.user-info",
                        "properties.bootstrap.servers");
    }

    @Test
    void keyAndValueFormatsTakeTheirPrefixesAndShareOneRegistry() {
        Map<String, String> options =
                translate(
                        ROW,
                        "key.format",
                        "avro-confluent",
                        "key.fields",
                        "id",
                        "key.avro-confluent.url",
                        "http://sr:8081",
                        "key.avro-confluent.subject",
                        "k",
                        "value.format",
                        "avro-confluent",
                        "value.avro-confluent.url",
                        "http://sr:8081",
                        "value.avro-confluent.ssl.truststore.location",
                        "/ts.p12");

        assertThat(options)
                .containsEntry("key.format", "avro")
                .containsEntry("value.format", "avro")
                .containsEntry("key.subject", "k")
                .containsEntry("schema-registry.endpoint", "http://sr:8081")
                .containsEntry("schema-registry.ssl.truststore.location", "/ts.p12");

        assertThat(
                        error(
                                ROW,
                                "key.format",
                                "avro-confluent",
                                "key.fields",
                                "id",
                                "key.avro-confluent.url",
                                "http://a:8081",
                                "format",
                                "avro-confluent",
                                "avro-confluent.url",
                                "http://b:8081"))
                .contains("'avro-confluent.url'", "'key.avro-confluent.url'", "disagree");
    }

    @Test
    void registryOptionsNextToAProfileNameTheOptionToRemove() {
        assertThat(
                        error(
                                ROW,
                                "connection_profile",
                                "prod",
                                "format",
                                "avro-confluent",
                                "avro-confluent.url",
                                "http://sr:8081"))
                .contains("connection profile 'prod'", "Remove ['avro-confluent.url']");
    }

    @Test
    void secretsNeverAppearInMessages() {
        String message =
                error(
                        ROW,
                        "format",
                        "avro-confluent",
                        "avro-confluent.url",
                        "http://sr:8081",
                        "avro-confluent.basic-auth.user-info",
                        "only-a-secret-no-colon");

        assertThat(message)
                .contains("'avro-confluent.basic-auth.user-info'", "'<api key>:<api secret>'")
                .doesNotContain("only-a-secret-no-colon");
        assertThat(
                        error(
                                ROW,
                                "format",
                                "avro-confluent",
                                "avro-confluent.basic-auth.user-info",
                                "k:topsecret",
                                "schema-registry.api-key",
                                "k2"))
                .contains("mean the same")
                .doesNotContain("topsecret");
    }

    @Test
    void avroConfluentOptionsWithoutACounterpartNameTheOption() {
        assertThat(
                        error(
                                ROW,
                                "format",
                                "avro-confluent",
                                "avro-confluent.basic-auth.credentials-source",
                                "URL"))
                .contains("'avro-confluent.basic-auth.credentials-source' = 'URL'", "USER_INFO");
        assertThat(error(ROW, "format", "avro-confluent", "avro-confluent.schema", "{}"))
                .contains("Remove 'avro-confluent.schema'");
        assertThat(error(ROW, "format", "avro-confluent", "avro-confluent.properties.x", "1"))
                .contains("'avro-confluent.properties.x'", "no counterpart");
        assertThat(error(ROW, "format", "json", "avro-confluent.url", "http://sr"))
                .contains("'avro-confluent.url'", "Set 'format' = 'avro-confluent'");
        assertThat(error(ROW, "format", "avro-confluent", "schema_registry", "false"))
                .contains("'schema_registry' = 'false'");
        assertThat(error(ROW, "format", "avro-confluent", "key.format", "json", "key.fields", "id"))
                .contains("Change 'key.format' to 'avro-confluent' or 'raw'");
    }

    @Test
    void debeziumAvroConfluentBecomesFramedAvroWithTheDebeziumChangelog() {
        Map<String, String> options =
                translate(
                        ROW,
                        "value.format",
                        "debezium-avro-confluent",
                        "value.debezium-avro-confluent.url",
                        "http://sr:8081",
                        "debezium-avro-confluent.subject",
                        "db.inventory.orders-value",
                        "properties.bootstrap.servers",
                        "b:9092");

        assertThat(options)
                .containsEntry("value.format", "avro")
                .containsEntry("changelog", "debezium")
                .containsEntry("schema_registry", "true")
                .containsEntry("schema-registry.endpoint", "http://sr:8081")
                .containsEntry("value.subject", "db.inventory.orders-value")
                .doesNotContainKeys(
                        "value.debezium-avro-confluent.url", "debezium-avro-confluent.subject");
        assertThat(
                        error(
                                ROW,
                                "format",
                                "debezium-avro-confluent",
                                "debezium-avro-confluent.properties.x",
                                "1"))
                .contains("'debezium-avro-confluent.properties.x'", "no counterpart");
    }

    @Test
    void debeziumJsonBecomesJsonWithTheDebeziumChangelog() {
        Map<String, String> options =
                translate(
                        ROW,
                        "format",
                        "debezium-json",
                        "debezium-json.ignore-parse-errors",
                        "true",
                        "debezium-json.schema-include",
                        "false");

        assertThat(options)
                .containsEntry("format", "json")
                .containsEntry("changelog", "debezium")
                .containsEntry("bad_data", "drop")
                .doesNotContainKeys(
                        "schema_registry",
                        "debezium-json.ignore-parse-errors",
                        "debezium-json.schema-include");
        assertThat(error(ROW, "format", "debezium-json", "debezium-json.schema-include", "true"))
                .contains("'debezium-json.schema-include'", "schemas.enable=false");
        assertThat(
                        error(
                                ROW,
                                "format",
                                "debezium-json",
                                "debezium-json.timestamp-format.standard",
                                "ISO-8601"))
                .contains("'debezium-json.timestamp-format.standard'", "Remove it");
        assertThat(error(ROW, "format", "json", "debezium-json.ignore-parse-errors", "true"))
                .contains("Set 'format' = 'debezium-json'");
    }

    @Test
    void debeziumFormatsContradictingAnotherChangelogOrOnTheKeyNameTheOption() {
        assertThat(error(ROW, "format", "debezium-json", "changelog", "upsert"))
                .contains("'changelog' = 'upsert'", "Remove 'changelog'");
        assertThat(translate(ROW, "format", "debezium-json", "changelog", "debezium"))
                .containsEntry("changelog", "debezium");
        assertThat(error(ROW, "format", "json", "key.format", "debezium-json"))
                .contains("'key.format' = 'debezium-json'", "Remove 'key.format'");
    }

    @Test
    void otherChangeDataCaptureFormatsAreRefusedNamingTheOption() {
        assertThat(error(ROW, "value.format", "canal-json"))
                .contains("'value.format' = 'canal-json'", "Change 'value.format'");
        assertThat(error(ROW, "format", "debezium-protobuf"))
                .contains("'format' = 'debezium-protobuf'", "Change 'format'");
    }

    @Test
    void rawTakesTheTypeOfItsOneColumn() {
        RowType text = RowType.of(new LogicalType[] {new VarCharType(10)}, new String[] {"v"});
        RowType bytes = RowType.of(new LogicalType[] {new VarBinaryType(10)}, new String[] {"v"});
        RowType number = RowType.of(new LogicalType[] {new IntType()}, new String[] {"v"});

        assertThat(translate(text, "format", "raw", "raw.charset", "utf-8"))
                .containsEntry("format", "raw_string")
                .doesNotContainKey("raw.charset");
        assertThat(translate(bytes, "format", "raw")).containsEntry("format", "raw_bytes");
        assertThat(
                        translate(
                                ROW,
                                "key.format",
                                "raw",
                                "key.fields",
                                "name",
                                "value.fields-include",
                                "EXCEPT_KEY",
                                "value.format",
                                "json"))
                .containsEntry("key.format", "raw_string")
                .containsEntry("value.format", "json");
        assertThat(error(number, "format", "raw")).contains("'format' = 'raw' for a INT column");
        assertThat(error(ROW, "format", "raw")).contains("2 columns", "Change 'format'");
        assertThat(error(text, "format", "raw", "raw.charset", "ISO-8859-1"))
                .contains("'raw.charset'", "only UTF-8");
    }

    @Test
    void jsonParseErrorsMapOntoBadData() {
        assertThat(translate(ROW, "format", "json", "json.ignore-parse-errors", "true"))
                .containsEntry("bad_data", "drop")
                .doesNotContainKey("json.ignore-parse-errors");
        assertThat(
                        translate(
                                ROW,
                                "value.format",
                                "json",
                                "value.json.ignore-parse-errors",
                                "false",
                                "value.json.fail-on-missing-field",
                                "false",
                                "json.validate",
                                "true"))
                .containsEntry("bad_data", "fail")
                .containsEntry("json.validate", "true");
        assertThat(
                        error(
                                ROW,
                                "format",
                                "json",
                                "json.ignore-parse-errors",
                                "true",
                                "bad_data",
                                "dlq"))
                .contains("Set only 'bad_data'");
        assertThat(error(ROW, "format", "json", "json.fail-on-missing-field", "true"))
                .contains("Remove 'json.fail-on-missing-field'", "NOT NULL");
        assertThat(error(ROW, "format", "json", "json.timestamp-format.standard", "ISO-8601"))
                .contains("'json.timestamp-format.standard'", "no counterpart");
    }

    @Test
    void propertiesBootstrapServersIsLeftToTheProfileRulesWithAProfile() {
        assertThat(
                        translate(
                                ROW,
                                "connection_profile",
                                "prod",
                                "format",
                                "json",
                                "properties.bootstrap.servers",
                                "b:9092"))
                .containsEntry("properties.bootstrap.servers", "b:9092")
                .doesNotContainKey("bootstrap.servers");
        assertThat(
                        error(
                                ROW,
                                "bootstrap.servers",
                                "a:9092",
                                "format",
                                "json",
                                "properties.bootstrap.servers",
                                "b:9092"))
                .contains("mean the same");
    }
}
