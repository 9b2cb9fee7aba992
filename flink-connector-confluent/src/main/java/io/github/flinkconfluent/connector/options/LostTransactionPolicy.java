package io.github.flinkconfluent.connector.options;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.DescribedEnum;
import org.apache.flink.configuration.description.InlineElement;

import static org.apache.flink.configuration.description.TextElement.text;

/**
 * The {@code sink.on_lost_transaction} option: what an exactly-once sink does with a transaction of
 * a completed checkpoint that it can no longer commit — one the broker aborted, or one whose
 * outcome cannot be proven any more. Failing is the default because continuing means accepting that
 * a checkpoint's records may be missing from the topic; the other value exists so that an operator
 * who has read the failure, and replayed or accepted the loss, can resume the job from the same
 * checkpoint.
 */
@PublicEvolving
public enum LostTransactionPolicy implements DescribedEnum {
    FAIL(
            "fail",
            "Fail the job, without restarting it, with a message naming the transaction, the"
                    + " checkpoint and the cause."),
    CONTINUE(
            "continue",
            "Log the same message as an error, count it in the numLostTransactions metric, and"
                    + " go on without those records.");

    private final String value;
    private final String description;

    LostTransactionPolicy(String value, String description) {
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
