package io.github.flinkconfluent.connector.format.json;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.RowType;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** JSON Schemas from the registry as SQL columns, and SQL columns as JSON Schemas. */
class JsonSchemaToSqlTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void everyJsonSchemaConstructHasItsSqlType() throws Exception {
        String schema =
                "{\"type\":\"object\",\"required\":[\"id\",\"when\"],"
                    + "\"definitions\":{\"addr\":{\"type\":\"object\",\"properties\":{"
                    + "\"city\":{\"type\":\"string\"}}}},\"properties\":{"
                    + "\"id\":{\"type\":\"integer\"},\"price\":{\"type\":\"number\"},"
                    + "\"ok\":{\"type\":\"boolean\"},"
                    + "\"when\":{\"type\":\"string\",\"format\":\"date-time\"},"
                    + "\"day\":{\"type\":\"string\",\"format\":\"date\"},"
                    + "\"at\":{\"type\":\"string\",\"format\":\"time\"},"
                    + "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
                    + "\"address\":{\"$ref\":\"#/definitions/addr\"},"
                    + "\"maybe\":{\"type\":[\"null\",\"string\"]},"
                    + "\"either\":{\"oneOf\":[{\"type\":\"string\"},{\"type\":\"integer\"}]},"
                    + "\"optional\":{\"oneOf\":[{\"type\":\"null\"},{\"type\":\"integer\"}]},"
                    + "\"opt_row\":{\"anyOf\":[{\"type\":\"object\",\"properties\":"
                    + "{\"x\":{\"type\":\"number\"}},\"required\":[\"x\"]},{\"type\":\"null\"}]},"
                    + "\"free\":{\"type\":\"object\",\"additionalProperties\":true},\"anything\":{}"
                    + "}}";

        DataType row = JsonSchemaToSql.toRowType(MAPPER.readTree(schema));

        assertThat(row)
                .isEqualTo(
                        DataTypes.ROW(
                                        DataTypes.FIELD("id", DataTypes.BIGINT().notNull()),
                                        DataTypes.FIELD("price", DataTypes.DOUBLE()),
                                        DataTypes.FIELD("ok", DataTypes.BOOLEAN()),
                                        DataTypes.FIELD(
                                                "when", DataTypes.TIMESTAMP_LTZ(3).notNull()),
                                        DataTypes.FIELD("day", DataTypes.DATE()),
                                        DataTypes.FIELD("at", DataTypes.TIME(3)),
                                        DataTypes.FIELD(
                                                "tags", DataTypes.ARRAY(DataTypes.STRING())),
                                        DataTypes.FIELD(
                                                "address",
                                                DataTypes.ROW(
                                                        DataTypes.FIELD(
                                                                "city", DataTypes.STRING()))),
                                        DataTypes.FIELD("maybe", DataTypes.STRING()),
                                        DataTypes.FIELD("either", DataTypes.STRING()),
                                        // Kafka Connect's optional fields: nullable, not unions
                                        DataTypes.FIELD("optional", DataTypes.BIGINT()),
                                        DataTypes.FIELD(
                                                "opt_row",
                                                DataTypes.ROW(
                                                        DataTypes.FIELD(
                                                                "x",
                                                                DataTypes.DOUBLE().notNull()))),
                                        DataTypes.FIELD("free", DataTypes.STRING()),
                                        DataTypes.FIELD("anything", DataTypes.STRING()))
                                .notNull());
    }

    @Test
    void aTablesJsonSchemaReadsBackAsItsColumns() {
        RowType columns =
                (RowType)
                        DataTypes.ROW(
                                        DataTypes.FIELD("id", DataTypes.BIGINT().notNull()),
                                        DataTypes.FIELD("name", DataTypes.STRING()),
                                        DataTypes.FIELD("when", DataTypes.TIMESTAMP_LTZ(3)),
                                        DataTypes.FIELD(
                                                "tags", DataTypes.ARRAY(DataTypes.STRING())),
                                        DataTypes.FIELD(
                                                "inner",
                                                DataTypes.ROW(
                                                        DataTypes.FIELD(
                                                                "x",
                                                                DataTypes.DOUBLE().notNull()))))
                                .notNull()
                                .getLogicalType();

        DataType back = JsonSchemaToSql.toRowType(SqlToJsonSchema.convert(columns, "t"));

        assertThat(back.getLogicalType()).isEqualTo(columns);
    }
}
