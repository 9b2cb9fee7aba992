package io.github.flinkconfluent.connector.registry;

import org.apache.flink.annotation.Internal;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads an HTTP answer's body as UTF-8 text, up to a limit: beyond it (or when the declared length
 * already exceeds it) it stops reading, cancels the exchange and reports the body as too large,
 * instead of holding whatever an endpoint sends in memory.
 */
@Internal
final class BoundedBody implements HttpResponse.BodySubscriber<BoundedBody.Body> {

    /** The body's text, or {@code tooLarge} (and no text). */
    record Body(String text, boolean tooLarge) {}

    private final CompletableFuture<Body> result = new CompletableFuture<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final long declaredLength;
    private final int limit;
    private Flow.Subscription subscription;

    /**
     * @param declaredLength the Content-Length header, or -1
     * @param limit the most bytes to read
     */
    BoundedBody(long declaredLength, int limit) {
        this.declaredLength = declaredLength;
        this.limit = limit;
    }

    @Override
    public CompletionStage<Body> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        if (declaredLength > limit) {
            tooLarge();
        } else {
            subscription.request(Long.MAX_VALUE);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer buffer : items) {
            if ((long) bytes.size() + buffer.remaining() > limit) {
                tooLarge();
                return;
            }
            byte[] chunk = new byte[buffer.remaining()];
            buffer.get(chunk);
            bytes.write(chunk, 0, chunk.length);
        }
    }

    @Override
    public void onError(Throwable error) {
        result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        result.complete(new Body(bytes.toString(StandardCharsets.UTF_8), false));
    }

    private void tooLarge() {
        subscription.cancel();
        result.complete(new Body(null, true));
    }
}
