package io.github.flinkconfluent.connector.format;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.DescribedEnum;
import org.apache.flink.configuration.description.InlineElement;

import static org.apache.flink.configuration.description.TextElement.text;

/** The {@code format} option of a {@code 'confluent'} table: how record values are encoded. */
@PublicEvolving
public enum DataFormat implements DescribedEnum {
    AVRO("avro", "Avro binary; with a registry, in the Confluent framing with a schema id."),
    JSON("json", "JSON text; with a registry, in the Confluent framing with a JSON Schema id."),
    PROTOBUF(
            "protobuf",
            "Protobuf, in the Confluent framing with a schema id and message indexes; needs a"
                    + " registry."),
    RAW_STRING("raw_string", "The value as UTF-8 text in a single STRING column."),
    RAW_BYTES("raw_bytes", "The value's bytes as they are, in a single BYTES column.");

    private final String value;
    private final String description;

    DataFormat(String value, String description) {
        this.value = value;
        this.description = description;
    }

    @Override
    public String toString() {
        return value;
    }

    @Override
    public InlineElement getDescription() {
        return text(description);
    }
}
