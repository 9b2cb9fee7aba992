package io.github.flinkconfluent.connector.options;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.DescribedEnum;
import org.apache.flink.configuration.description.InlineElement;

import static org.apache.flink.configuration.description.TextElement.text;

/** {@code source.read_mode}. */
@PublicEvolving
public enum ReadMode implements DescribedEnum {
    READ_COMMITTED("read_committed", "Only records of committed transactions."),
    READ_UNCOMMITTED("read_uncommitted", "All records, also of open or aborted transactions.");

    private final String value;
    private final String description;

    ReadMode(String value, String description) {
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
