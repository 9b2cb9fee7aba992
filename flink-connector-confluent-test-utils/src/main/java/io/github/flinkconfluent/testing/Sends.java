package io.github.flinkconfluent.testing;

import org.apache.kafka.clients.producer.RecordMetadata;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Confirms that a test's input really reached the broker.
 *
 * <p>{@code KafkaProducer.close()} waits for pending sends but does not report the ones that
 * failed; a test that writes N records and then waits for N to come out would wait for ever for
 * records that were never written. Every send of test input is confirmed here instead, so a failed
 * write fails the test at the write, with the broker's reason.
 */
public final class Sends {

    private Sends() {}

    /** Waits for each send and throws if any failed. */
    public static void confirm(List<? extends Future<RecordMetadata>> sends) {
        for (int i = 0; i < sends.size(); i++) {
            try {
                sends.get(i).get(2, TimeUnit.MINUTES);
            } catch (ExecutionException e) {
                throw new IllegalStateException(
                        "Test input record " + i + " of " + sends.size() + " was not written",
                        e.getCause());
            } catch (Exception e) {
                throw new IllegalStateException(
                        "Test input record " + i + " of " + sends.size() + " was not confirmed", e);
            }
        }
    }
}
