package io.github.flinkconfluent.connector.options;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.DescribedEnum;
import org.apache.flink.configuration.description.InlineElement;

import static org.apache.flink.configuration.description.TextElement.text;

/**
 * The {@code source.offset_out_of_range} option: what a source does when the offset it must read
 * next is no longer in the partition — retention or {@code kafka-delete-records} removed it before
 * the source got there (a restored checkpoint, a committed group offset or a given start offset
 * below the log start, or a reader that fell behind), or the topic was recreated and the offset is
 * beyond its end. Without a policy the source could only fail, restart from the same offset and
 * fail again, forever.
 */
@PublicEvolving
public enum OffsetOutOfRangePolicy implements DescribedEnum {
    FAIL(
            "fail",
            "Fail the job, without restarts, with a message naming the topic, partition, the"
                    + " offset and the earliest and latest offsets still there."),
    EARLIEST(
            "earliest",
            "Continue at the earliest offset still in the partition: log a warning and count the"
                    + " offsets jumped over in the offsetOutOfRangeSkippedRecords metric."),
    LATEST(
            "latest",
            "Continue at the end of the partition: log a warning and count the offsets jumped over"
                    + " in the offsetOutOfRangeSkippedRecords metric.");

    private final String value;
    private final String description;

    OffsetOutOfRangePolicy(String value, String description) {
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
