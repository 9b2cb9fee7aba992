package io.github.flinkconfluent.connector.options;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.DescribedEnum;
import org.apache.flink.configuration.description.InlineElement;

import static org.apache.flink.configuration.description.TextElement.text;

/** The {@code sink.commit_mode} option: the sink's delivery guarantee. */
@PublicEvolving
public enum CommitMode implements DescribedEnum {
    EXACTLY_ONCE(
            "exactly_once",
            "Write each checkpoint's data in a Kafka transaction, committed once the checkpoint"
                    + " completes. Readers with read_committed see every record exactly once,"
                    + " with a latency of one checkpoint interval."),
    AT_LEAST_ONCE(
            "at_least_once",
            "Write records as they come and wait for all of them at every checkpoint. After a"
                    + " failure, records since the last checkpoint are written again.");

    private final String value;
    private final String description;

    CommitMode(String value, String description) {
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
