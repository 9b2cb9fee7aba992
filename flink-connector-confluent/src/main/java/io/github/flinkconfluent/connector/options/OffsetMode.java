package io.github.flinkconfluent.connector.options;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.DescribedEnum;
import org.apache.flink.configuration.description.InlineElement;

import static org.apache.flink.configuration.description.TextElement.text;

/** {@code source.offset}. */
@PublicEvolving
public enum OffsetMode implements DescribedEnum {
    EARLIEST("earliest", "The oldest record still in each partition."),
    LATEST("latest", "Only records written after the job started."),
    GROUP("group", "The consumer group's committed offsets, else the fallback."),
    TIMESTAMP("timestamp", "The first record at or after source.offset.timestamp."),
    SPECIFIC_OFFSETS("specific_offsets", "The offsets in source.offset.specific.");

    private final String value;
    private final String description;

    OffsetMode(String value, String description) {
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
