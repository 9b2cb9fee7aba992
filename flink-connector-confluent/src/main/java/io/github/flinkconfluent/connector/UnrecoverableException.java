package io.github.flinkconfluent.connector;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.runtime.throwable.ThrowableAnnotation;
import org.apache.flink.runtime.throwable.ThrowableType;

/**
 * A failure that a restart cannot mend, so the job fails at once instead of restarting.
 *
 * <p>Why: Flink's restart strategies restart a job on any exception, and a job restored from the
 * same checkpoint meets the same condition again — a transaction the broker already aborted, an
 * offset that retention deleted. Without this the job would loop through restarts (for ever with
 * the default strategy), the cause buried in the exception history. Flink's scheduler classifies
 * this type as a non-recoverable error ({@link ThrowableType#NonRecoverableError}) wherever it
 * appears in a failure's cause chain, and fails the job with it. The message says what happened and
 * what to do; the user decides how to resume.
 */
@PublicEvolving
@ThrowableAnnotation(ThrowableType.NonRecoverableError)
public class UnrecoverableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnrecoverableException(String message) {
        super(message);
    }

    public UnrecoverableException(String message, Throwable cause) {
        super(message, cause);
    }
}
