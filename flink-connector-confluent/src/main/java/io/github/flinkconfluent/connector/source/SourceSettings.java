package io.github.flinkconfluent.connector.source;

import io.github.flinkconfluent.connector.ConfluentConnectorOptions;
import io.github.flinkconfluent.connector.ConfluentConnectorOptions.BoundedMode;
import io.github.flinkconfluent.connector.ConfluentConnectorOptions.OffsetMode;
import io.github.flinkconfluent.connector.ConfluentConnectorOptions.ReadMode;
import io.github.flinkconfluent.connector.source.enumerator.StartingOffsets;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the source's typed options once, for the builder and the table factory alike, with errors
 * that name the option and show a valid value.
 */
@Internal
public final class SourceSettings {

    private SourceSettings() {}

    public static StartingOffsets startingOffsets(ReadableConfig options) {
        OffsetMode mode = options.get(ConfluentConnectorOptions.SOURCE_OFFSET);
        OffsetMode fallback = options.get(ConfluentConnectorOptions.SOURCE_OFFSET_FALLBACK);
        if (fallback != OffsetMode.EARLIEST && fallback != OffsetMode.LATEST) {
            throw new ValidationException(
                    "'source.offset.fallback' must be 'earliest' or 'latest', not '"
                            + fallback
                            + "'");
        }
        StartingOffsets.Mode fallbackMode =
                fallback == OffsetMode.EARLIEST
                        ? StartingOffsets.Mode.EARLIEST
                        : StartingOffsets.Mode.LATEST;
        switch (mode) {
            case EARLIEST:
                return StartingOffsets.earliest();
            case LATEST:
                return StartingOffsets.latest();
            case GROUP:
                return StartingOffsets.committed(fallbackMode);
            case TIMESTAMP:
                Long timestamp =
                        options.getOptional(ConfluentConnectorOptions.SOURCE_OFFSET_TIMESTAMP)
                                .orElseThrow(
                                        () ->
                                                new ValidationException(
                                                        "'source.offset' = 'timestamp' needs"
                                                                + " 'source.offset.timestamp'"
                                                                + " (epoch milliseconds)"));
                return StartingOffsets.timestamp(timestamp);
            case SPECIFIC_OFFSETS:
                String specific =
                        options.getOptional(ConfluentConnectorOptions.SOURCE_OFFSET_SPECIFIC)
                                .orElseThrow(
                                        () ->
                                                new ValidationException(
                                                        "'source.offset' = 'specific_offsets'"
                                                                + " needs"
                                                                + " 'source.offset.specific',"
                                                                + " e.g. 'partition:0,offset:42;"
                                                                + "partition:1,offset:300'"));
                return StartingOffsets.specific(parseSpecificOffsets(specific), fallbackMode);
            default:
                throw new ValidationException("Unknown source.offset " + mode);
        }
    }

    /**
     * The dead-letter topic when {@code bad_data} is {@code dlq}, otherwise empty. {@code
     * bad_data.topic} is required with {@code dlq} and refused with any other policy, so that a
     * topic set by mistake never suggests that bad records are kept while they are dropped or fail
     * the job. The source topic itself is refused: the job would read its own dead letters.
     */
    public static Optional<String> deadLetterTopic(ReadableConfig options) {
        BadDataPolicy policy = options.get(ConfluentConnectorOptions.BAD_DATA);
        Optional<String> topic =
                options.getOptional(ConfluentConnectorOptions.BAD_DATA_TOPIC)
                        .map(String::trim)
                        .filter(t -> !t.isEmpty());
        if (policy != BadDataPolicy.DLQ) {
            if (options.getOptional(ConfluentConnectorOptions.BAD_DATA_TOPIC).isPresent()) {
                throw new ValidationException(
                        "'bad_data.topic' is only used with 'bad_data' = 'dlq', but 'bad_data'"
                                + " is '"
                                + policy
                                + "'. Set 'bad_data' = 'dlq' to write undecodable records to"
                                + " that topic, or remove 'bad_data.topic'.");
            }
            return Optional.empty();
        }
        if (topic.isEmpty()) {
            throw new ValidationException(
                    "'bad_data' = 'dlq' needs 'bad_data.topic': the name of an existing topic,"
                            + " on the source's connection, that receives undecodable records.");
        }
        if (topic.get().equals(options.get(ConfluentConnectorOptions.TOPIC))) {
            throw new ValidationException(
                    "'bad_data.topic' must not be the source topic '"
                            + topic.get()
                            + "': the source would read its own dead letters. Name another"
                            + " topic.");
        }
        return topic;
    }

    public static boolean readCommitted(ReadableConfig options) {
        return options.get(ConfluentConnectorOptions.SOURCE_READ_MODE) == ReadMode.READ_COMMITTED;
    }

    public static boolean bounded(ReadableConfig options, boolean batchRuntime) {
        return options.getOptional(ConfluentConnectorOptions.SOURCE_BOUNDED)
                        .orElse(batchRuntime ? BoundedMode.LATEST : BoundedMode.UNBOUNDED)
                == BoundedMode.LATEST;
    }

    /** {@code partition:0,offset:42;partition:1,offset:300} as partition -> offset. */
    public static Map<Integer, Long> parseSpecificOffsets(String text) {
        Map<Integer, Long> offsets = new HashMap<>();
        for (String entry : text.split(";")) {
            if (entry.isBlank()) {
                continue;
            }
            Integer partition = null;
            Long offset = null;
            for (String pair : entry.split(",")) {
                String[] kv = pair.split(":", 2);
                try {
                    if (kv.length == 2 && kv[0].trim().equals("partition")) {
                        partition = Integer.parseInt(kv[1].trim());
                    } else if (kv.length == 2 && kv[0].trim().equals("offset")) {
                        offset = Long.parseLong(kv[1].trim());
                    }
                } catch (NumberFormatException e) {
                    partition = null;
                }
            }
            if (partition == null || offset == null || partition < 0 || offset < 0) {
                throw new ValidationException(
                        "Invalid 'source.offset.specific' entry '"
                                + entry.trim()
                                + "': expected 'partition:<n>,offset:<n>' entries separated by"
                                + " ';'");
            }
            offsets.put(partition, offset);
        }
        return offsets;
    }
}
