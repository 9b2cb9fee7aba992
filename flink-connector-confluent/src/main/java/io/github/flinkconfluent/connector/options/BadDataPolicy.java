package io.github.flinkconfluent.connector.options;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.DescribedEnum;
import org.apache.flink.configuration.description.InlineElement;

import static org.apache.flink.configuration.description.TextElement.text;

/** The {@code bad_data} option: what a source does with a record it cannot decode. */
@PublicEvolving
public enum BadDataPolicy implements DescribedEnum {
    FAIL("fail", "Fail the job with an error naming the topic, partition, offset and reason."),
    DROP(
            "drop",
            "Skip the record, count it in the numRecordsInErrors and badRecordsDropped metrics"
                    + " and log its position."),
    DLQ(
            "dlq",
            "Write the record's original key, value, headers and timestamp, with provenance"
                    + " headers, to the dead-letter topic 'bad_data.topic' (at least once: the"
                    + " write is flushed before a checkpoint completes, and a failed write fails"
                    + " the job), count it in the numRecordsInErrors and badRecordsRouted metrics"
                    + " and go on.");

    private final String value;
    private final String description;

    BadDataPolicy(String value, String description) {
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
