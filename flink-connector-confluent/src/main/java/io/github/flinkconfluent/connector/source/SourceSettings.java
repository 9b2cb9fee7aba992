package io.github.flinkconfluent.connector.source;

import io.github.flinkconfluent.connector.ConfluentConnectorOptions;
import io.github.flinkconfluent.connector.options.BadDataPolicy;
import io.github.flinkconfluent.connector.options.BoundedMode;
import io.github.flinkconfluent.connector.options.OffsetMode;
import io.github.flinkconfluent.connector.options.ReadMode;
import io.github.flinkconfluent.connector.source.enumerator.StartingOffsets;
import io.github.flinkconfluent.connector.source.enumerator.StoppingOffsets;
import io.github.flinkconfluent.connector.source.enumerator.TopicSelection;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the source's typed options once, for the builder and the table factory alike, with errors
 * that name the option and show a valid value.
 */
@Internal
public final class SourceSettings {

    private SourceSettings() {}

    /**
     * The topics to read: {@code topic} (one name, or several separated by {@code ;}) or {@code
     * topic-pattern}, exactly one of them.
     */
    public static TopicSelection topics(ReadableConfig options) {
        Optional<String> list = options.getOptional(ConfluentConnectorOptions.TOPIC);
        Optional<String> pattern = options.getOptional(ConfluentConnectorOptions.TOPIC_PATTERN);
        if (list.isPresent() && pattern.isPresent()) {
            throw new ValidationException(
                    "'topic' and 'topic-pattern' are both set; a source reads either the listed"
                            + " topics or those matching the pattern. Remove one of them.");
        }
        if (pattern.isPresent()) {
            try {
                return TopicSelection.matching(pattern.get());
            } catch (PatternSyntaxException e) {
                throw new ValidationException(
                        "'topic-pattern' = '"
                                + pattern.get()
                                + "' is not a valid Java regular expression: "
                                + e.getDescription()
                                + " near index "
                                + e.getIndex());
            }
        }
        List<String> topics = topicList(list.orElse(""));
        if (topics.isEmpty()) {
            throw new ValidationException(
                    "A source needs 'topic' (one topic, or several separated by ';') or"
                            + " 'topic-pattern' (a Java regular expression).");
        }
        return TopicSelection.of(topics);
    }

    /** The names in {@code 'a; b;'}: trimmed, blanks dropped. */
    public static List<String> topicList(String text) {
        List<String> topics = new ArrayList<>();
        for (String topic : text.split(";")) {
            if (!topic.isBlank()) {
                topics.add(topic.trim());
            }
        }
        return topics;
    }

    /**
     * Where a bounded source stops, or null when it is unbounded.
     *
     * @param boundedByDefault whether a source without {@code source.bounded} stops at the latest
     *     offsets (batch execution mode, or a builder told to)
     */
    @Nullable
    public static StoppingOffsets stoppingOffsets(
            ReadableConfig options, boolean boundedByDefault) {
        BoundedMode mode =
                options.getOptional(ConfluentConnectorOptions.SOURCE_BOUNDED)
                        .orElse(boundedByDefault ? BoundedMode.LATEST : BoundedMode.UNBOUNDED);
        if (mode != BoundedMode.TIMESTAMP
                && options.getOptional(ConfluentConnectorOptions.SOURCE_BOUNDED_TIMESTAMP)
                        .isPresent()) {
            throw new ValidationException(
                    "'source.bounded.timestamp' is only used with 'source.bounded' = 'timestamp',"
                            + " but 'source.bounded' is '"
                            + mode
                            + "'. Set 'source.bounded' = 'timestamp' or remove the timestamp.");
        }
        if (mode != BoundedMode.SPECIFIC_OFFSETS
                && options.getOptional(ConfluentConnectorOptions.SOURCE_BOUNDED_SPECIFIC)
                        .isPresent()) {
            throw new ValidationException(
                    "'source.bounded.specific' is only used with 'source.bounded' ="
                            + " 'specific_offsets', but 'source.bounded' is '"
                            + mode
                            + "'. Set 'source.bounded' = 'specific_offsets' or remove the"
                            + " offsets.");
        }
        switch (mode) {
            case UNBOUNDED:
                return null;
            case LATEST:
                return StoppingOffsets.latest();
            case GROUP:
                return StoppingOffsets.committed();
            case TIMESTAMP:
                return StoppingOffsets.timestamp(
                        options.getOptional(ConfluentConnectorOptions.SOURCE_BOUNDED_TIMESTAMP)
                                .orElseThrow(
                                        () ->
                                                new ValidationException(
                                                        "'source.bounded' = 'timestamp' needs"
                                                                + " 'source.bounded.timestamp'"
                                                                + " (epoch milliseconds)")));
            case SPECIFIC_OFFSETS:
                String specific =
                        options.getOptional(ConfluentConnectorOptions.SOURCE_BOUNDED_SPECIFIC)
                                .orElseThrow(
                                        () ->
                                                new ValidationException(
                                                        "'source.bounded' = 'specific_offsets'"
                                                                + " needs"
                                                                + " 'source.bounded.specific',"
                                                                + " e.g. 'partition:0,offset:42;"
                                                                + "partition:1,offset:300'"));
                requireSingleTopic(
                        options, ConfluentConnectorOptions.SOURCE_BOUNDED_SPECIFIC.key());
                return StoppingOffsets.specific(
                        parseSpecificOffsets(
                                ConfluentConnectorOptions.SOURCE_BOUNDED_SPECIFIC.key(), specific));
            default:
                throw new ValidationException("Unknown source.bounded " + mode);
        }
    }

    /** Offsets by partition number alone only say which partition they mean for one topic. */
    private static void requireSingleTopic(ReadableConfig options, String option) {
        TopicSelection topics = topics(options);
        if (!topics.isSingleTopic()) {
            throw new ValidationException(
                    "'"
                            + option
                            + "' gives offsets by partition number, which name a partition of one"
                            + " topic only, but the source reads "
                            + topics
                            + ". Read one topic per table (and UNION ALL them), or use"
                            + " another mode.");
        }
    }

    /**
     * The consumer group a source commits its checkpointed offsets to: {@code source.group_id}, or
     * else {@code <source.group_id_prefix>-<name>} with every character of {@code name} outside
     * {@code [A-Za-z0-9._-]} replaced by {@code _}. The name is what the source reads: the table's
     * {@code catalog.database.table} in SQL, the topic (topics, or pattern) in DataStream. One rule
     * for both, so a job moved from SQL to DataStream or back only changes the name.
     */
    public static String groupId(ReadableConfig options, String name) {
        return options.getOptional(ConfluentConnectorOptions.SOURCE_GROUP_ID)
                .orElseGet(
                        () ->
                                options.get(ConfluentConnectorOptions.SOURCE_GROUP_ID_PREFIX)
                                        + "-"
                                        + name.replaceAll("[^A-Za-z0-9._-]", "_"));
    }

    public static StartingOffsets startingOffsets(ReadableConfig options) {
        OffsetMode mode = options.get(ConfluentConnectorOptions.SOURCE_OFFSET);
        OffsetMode fallback = options.get(ConfluentConnectorOptions.SOURCE_OFFSET_FALLBACK);
        if (fallback != OffsetMode.EARLIEST && fallback != OffsetMode.LATEST) {
            throw new ValidationException(
                    "'source.offset.fallback' must be 'earliest' or 'latest', not '"
                            + fallback
                            + "'");
        }
        switch (mode) {
            case EARLIEST:
                return StartingOffsets.earliest();
            case LATEST:
                return StartingOffsets.latest();
            case GROUP:
                return StartingOffsets.committed(fallback);
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
                requireSingleTopic(options, ConfluentConnectorOptions.SOURCE_OFFSET_SPECIFIC.key());
                return StartingOffsets.specific(
                        parseSpecificOffsets(
                                ConfluentConnectorOptions.SOURCE_OFFSET_SPECIFIC.key(), specific),
                        fallback);
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
        boolean read =
                options.getOptional(ConfluentConnectorOptions.TOPIC_PATTERN)
                        .map(p -> Pattern.matches(p, topic.get()))
                        .orElseGet(
                                () ->
                                        topicList(
                                                        options.getOptional(
                                                                        ConfluentConnectorOptions
                                                                                .TOPIC)
                                                                .orElse(""))
                                                .contains(topic.get()));
        if (read) {
            throw new ValidationException(
                    "'bad_data.topic' must not be the source topic '"
                            + topic.get()
                            + "' (one of the topics the source reads): the source would read its"
                            + " own dead letters. Name another topic.");
        }
        return topic;
    }

    public static boolean readCommitted(ReadableConfig options) {
        return options.get(ConfluentConnectorOptions.SOURCE_READ_MODE) == ReadMode.READ_COMMITTED;
    }

    public static boolean bounded(ReadableConfig options, boolean batchRuntime) {
        return stoppingOffsets(options, batchRuntime) != null;
    }

    /**
     * {@code partition:0,offset:42;partition:1,offset:300} as partition -> offset; errors name
     * {@code option}.
     */
    public static Map<Integer, Long> parseSpecificOffsets(String option, String text) {
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
                        "Invalid '"
                                + option
                                + "' entry '"
                                + entry.trim()
                                + "': expected 'partition:<n>,offset:<n>' entries separated by"
                                + " ';'");
            }
            offsets.put(partition, offset);
        }
        return offsets;
    }
}
