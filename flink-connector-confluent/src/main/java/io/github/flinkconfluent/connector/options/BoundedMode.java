package io.github.flinkconfluent.connector.options;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.DescribedEnum;
import org.apache.flink.configuration.description.InlineElement;

import static org.apache.flink.configuration.description.TextElement.text;

/** {@code source.bounded}. */
@PublicEvolving
public enum BoundedMode implements DescribedEnum {
    UNBOUNDED("unbounded", "Read forever."),
    LATEST("latest", "Stop at the end offsets seen when each partition is first found."),
    GROUP("group", "Stop at the consumer group's committed offsets."),
    TIMESTAMP("timestamp", "Stop before the first record at or after source.bounded.timestamp."),
    SPECIFIC_OFFSETS("specific_offsets", "Stop before the offsets in source.bounded.specific.");

    private final String value;
    private final String description;

    BoundedMode(String value, String description) {
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
