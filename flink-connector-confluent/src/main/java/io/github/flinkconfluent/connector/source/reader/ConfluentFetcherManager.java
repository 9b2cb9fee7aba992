package io.github.flinkconfluent.connector.source.reader;

import io.github.flinkconfluent.connector.source.split.ConfluentPartitionSplit;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.fetcher.SingleThreadFetcherManager;
import org.apache.flink.connector.base.source.reader.fetcher.SplitFetcher;
import org.apache.flink.connector.base.source.reader.fetcher.SplitFetcherTask;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * The single fetcher of a reader, plus a way to commit offsets on the fetcher thread: the Kafka
 * consumer is not thread-safe, so the commit is queued as a task for the thread that owns it.
 */
@Internal
public final class ConfluentFetcherManager
        extends SingleThreadFetcherManager<
                ConsumerRecord<byte[], byte[]>, ConfluentPartitionSplit> {

    private static final Logger LOG = LoggerFactory.getLogger(ConfluentFetcherManager.class);

    public ConfluentFetcherManager(
            java.util.function.Supplier<
                            org.apache.flink.connector.base.source.reader.splitreader.SplitReader<
                                    ConsumerRecord<byte[], byte[]>, ConfluentPartitionSplit>>
                    splitReaderSupplier,
            Configuration configuration) {
        super(splitReaderSupplier, configuration);
    }

    /** Commits {@code offsets} to the consumer group; failures are logged (monitoring only). */
    public void commitOffsets(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        SplitFetcher<ConsumerRecord<byte[], byte[]>, ConfluentPartitionSplit> fetcher =
                getRunningFetcher();
        if (fetcher == null) {
            return; // no partition left to read: nothing is being consumed, nothing to report
        }
        fetcher.enqueueTask(
                new SplitFetcherTask() {
                    @Override
                    public boolean run() {
                        ((ConfluentPartitionSplitReader) fetcher.getSplitReader())
                                .commitOffsetsAsync(
                                        offsets,
                                        (committed, error) -> {
                                            if (error != null) {
                                                LOG.warn(
                                                        "Committing offsets {} to the consumer"
                                                                + " group failed (they are used"
                                                                + " for monitoring only)",
                                                        offsets,
                                                        error);
                                            }
                                        });
                        return true;
                    }

                    @Override
                    public void wakeUp() {}
                });
    }
}
