package io.github.flinkconfluent.connector.format.json;

import io.github.flinkconfluent.connector.format.RecordLimits;
import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.format.wire.WireFormatException.Reason;
import io.github.flinkconfluent.connector.registry.InMemorySchemaRegistry;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.types.logical.RowType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A registered JSON Schema can make validation exponential: each level of nested {@code anyOf} /
 * {@code oneOf} / {@code allOf} that references the next level twice doubles the work, so 30 levels
 * check one small value 2^30 times. Each record gets a step budget (one step: one schema checked
 * against one value) that ends in the per-record error; steps are counted, not timed.
 */
class JsonValidationBudgetTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Levels of doubling: 2^30 leaf checks for a value that matches no leaf. */
    private static final int DEPTH = 30;

    /**
     * {@code d0 .. d29} each {@code {keyword: [{$ref: d(i+1)}, {$ref: d(i+1)}]}}, {@code d30} a
     * string; the root refers to {@code d0}.
     */
    static String explodingSchema(String keyword) {
        StringBuilder definitions = new StringBuilder();
        for (int i = 0; i < DEPTH; i++) {
            String next = "{\"$ref\":\"#/definitions/d" + (i + 1) + "\"}";
            definitions
                    .append("\"d")
                    .append(i)
                    .append("\":{\"")
                    .append(keyword)
                    .append("\":[")
                    .append(next)
                    .append(',')
                    .append(next)
                    .append("]},");
        }
        definitions.append("\"d").append(DEPTH).append("\":{\"type\":\"string\"}");
        return "{\"$ref\":\"#/definitions/d0\",\"definitions\":{" + definitions + "}}";
    }

    /** A value that fails every leaf, and one that passes every leaf (allOf stops at failures). */
    @ParameterizedTest
    @CsvSource({"anyOf, 42", "anyOf, '\"x\"'", "oneOf, 42", "oneOf, '\"x\"'", "allOf, '\"x\"'"})
    void nestedCombinatorsEndAfterTheStepBudget(String keyword, String value) throws Exception {
        JsonSchemaValidator validator =
                new JsonSchemaValidator(MAPPER.readTree(explodingSchema(keyword)), 10_000);

        assertThatThrownBy(() -> validator.validate(MAPPER.readTree(value)))
                .isInstanceOf(JsonSchemaValidator.StepLimitException.class)
                .hasMessageContaining("10000 steps");
        assertThat(validator.stepsOfLastValidation()).isEqualTo(10_001);
    }

    @Test
    void theBudgetIsPerRecord() throws Exception {
        JsonSchemaValidator validator =
                new JsonSchemaValidator(
                        MAPPER.readTree("{\"type\":\"array\",\"items\":{\"type\":\"integer\"}}"),
                        100);
        JsonNode fiftyItems = MAPPER.readTree("[" + "1,".repeat(49) + "1]");

        for (int i = 0; i < 10; i++) {
            assertThat(validator.validate(fiftyItems)).isEmpty();
            assertThat(validator.stepsOfLastValidation()).isEqualTo(51);
        }
        assertThatThrownBy(() -> validator.validate(MAPPER.readTree("[" + "1,".repeat(99) + "1]")))
                .isInstanceOf(JsonSchemaValidator.StepLimitException.class);
    }

    @Test
    void aRecordOverTheBudgetIsThePerRecordErrorNamingTheOption() throws Exception {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        String schema = explodingSchema("anyOf");
        byte[] message =
                new JsonRegistrySerializer(registry, "events-value", schema, true, false)
                        .serialize(MAPPER.readTree("42"));
        RowType rowType =
                (RowType) DataTypes.ROW(DataTypes.FIELD("id", DataTypes.INT())).getLogicalType();

        for (JsonRowDataDecoder decoder :
                new JsonRowDataDecoder[] {
                    new JsonRowDataDecoder(rowType, () -> registry, true),
                    new JsonRowDataDecoder(rowType, () -> registry, true, 1000)
                }) {
            decoder.open();
            assertThatThrownBy(() -> decoder.decode(message))
                    .isInstanceOfSatisfying(
                            WireFormatException.class,
                            e -> {
                                assertThat(e.reason()).isEqualTo(Reason.LIMIT_EXCEEDED);
                                assertThat(e.schemaId()).isPositive();
                                assertThat(e)
                                        .hasMessageContaining(
                                                "'"
                                                        + RecordLimits
                                                                .JSON_VALIDATE_MAX_STEPS_OPTION
                                                        + "'");
                            });
        }
        assertThatThrownBy(() -> new JsonRegistryDeserializer(registry, true).deserialize(message))
                .isInstanceOfSatisfying(
                        WireFormatException.class,
                        e ->
                                assertThat(e)
                                        .hasMessageContaining(
                                                RecordLimits.DEFAULT_JSON_VALIDATE_MAX_STEPS
                                                        + " steps"));
        assertThat(new JsonRegistryDeserializer(registry, false).deserialize(message).asInt())
                .as("without validation the schema costs nothing")
                .isEqualTo(42);
    }

    @Test
    void theSinkRefusesAValueItCannotValidateWithinTheBudget() throws Exception {
        JsonRegistrySerializer serializer =
                new JsonRegistrySerializer(
                        new InMemorySchemaRegistry(),
                        "events-value",
                        explodingSchema("oneOf"),
                        true,
                        true);

        assertThatThrownBy(() -> serializer.serialize(MAPPER.readTree("42")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("steps");
    }
}
