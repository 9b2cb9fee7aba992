package io.github.flinkconfluent.connector.format.json;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JsonSchemaValidatorTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final String SCHEMA =
            "{\"type\":\"object\",\"additionalProperties\":false,"
                    + "\"required\":[\"id\",\"kind\"],"
                    + "\"definitions\":{\"tag\":{\"type\":\"string\",\"maxLength\":3}},"
                    + "\"properties\":{"
                    + "\"id\":{\"type\":\"integer\",\"minimum\":1},"
                    + "\"kind\":{\"enum\":[\"a\",\"b\"]},"
                    + "\"tags\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/definitions/tag\"}},"
                    + "\"amount\":{\"oneOf\":[{\"type\":\"integer\"},{\"type\":\"string\"}]},"
                    + "\"note\":{\"type\":[\"string\",\"null\"]}}}";

    private static java.util.List<String> problems(String value) throws Exception {
        return new JsonSchemaValidator(MAPPER.readTree(SCHEMA)).validate(MAPPER.readTree(value));
    }

    @Test
    void aValidValuePasses() throws Exception {
        assertThat(
                        problems(
                                "{\"id\":3,\"kind\":\"a\",\"tags\":[\"x\"],\"amount\":\"7\","
                                        + "\"note\":null}"))
                .isEmpty();
    }

    @Test
    void eachViolationIsReportedWithItsPath() throws Exception {
        assertThat(problems("{\"kind\":\"a\"}"))
                .containsExactly("$: required property 'id' is missing");
        assertThat(problems("{\"id\":0,\"kind\":\"a\"}"))
                .singleElement()
                .asString()
                .contains("$.id")
                .contains("minimum");
        assertThat(problems("{\"id\":1,\"kind\":\"c\"}"))
                .singleElement()
                .asString()
                .contains("$.kind");
        assertThat(problems("{\"id\":1,\"kind\":\"a\",\"tags\":[\"long!\"]}"))
                .singleElement()
                .asString()
                .contains("$.tags[0]")
                .contains("maxLength");
        assertThat(problems("{\"id\":1,\"kind\":\"a\",\"amount\":1.5}"))
                .singleElement()
                .asString()
                .contains("oneOf");
        assertThat(problems("{\"id\":1,\"kind\":\"a\",\"extra\":true}"))
                .singleElement()
                .asString()
                .contains("'extra' is not allowed");
        assertThat(problems("[1]")).singleElement().asString().contains("expected \"object\"");
    }

    @Test
    void aSelfReferencingSchemaDoesNotLoopForever() throws Exception {
        JsonNode loop = MAPPER.readTree("{\"$ref\":\"#\"}");
        assertThat(new JsonSchemaValidator(loop).validate(MAPPER.readTree("{}")))
                .singleElement()
                .asString()
                .contains("$ref nesting");
    }
}
