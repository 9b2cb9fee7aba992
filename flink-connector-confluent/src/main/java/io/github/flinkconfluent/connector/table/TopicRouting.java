package io.github.flinkconfluent.connector.table;

import io.github.flinkconfluent.connector.source.enumerator.TopicSelection;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;

import javax.annotation.Nullable;

import java.io.Serializable;

/**
 * Which topic each row of a sink goes to: the row's writable {@code topic} metadata column, or,
 * when that is NULL, the table's single {@code topic}. A table with a topic list or {@code
 * topic-pattern} has no single topic: its rows must name theirs, and only topics of the list, or
 * matching the pattern, are accepted.
 *
 * @param column position of the {@code topic} metadata column in the consumed row
 * @param defaultTopic where rows with a NULL topic go, or null when they are an error
 * @param allowed the topics rows may name, or null for any
 * @param table the table's name, for errors
 */
@Internal
record TopicRouting(
        int column,
        @Nullable String defaultTopic,
        @Nullable TopicSelection allowed,
        TopicEncoders values,
        @Nullable TopicEncoders keys,
        String table)
        implements Serializable {

    /** The topic {@code row} is written to; a row that names none, or a refused one, fails. */
    String topicOf(RowData row) {
        if (row.isNullAt(column)) {
            if (defaultTopic == null) {
                throw new IllegalArgumentException(
                        "A row written to table "
                                + table
                                + " has NULL in its 'topic' metadata column, and the table has no"
                                + " single 'topic' to write it to. Give every row a topic, or set"
                                + " 'topic' to the topic for rows without one.");
            }
            return defaultTopic;
        }
        String topic = row.getString(column).toString();
        if (topic.isBlank()) {
            throw new IllegalArgumentException(
                    "A row written to table "
                            + table
                            + " has an empty 'topic' metadata column; name a topic, or use NULL"
                            + (defaultTopic == null ? "" : " for '" + defaultTopic + "'")
                            + ".");
        }
        if (allowed != null && !allowed.accepts(topic)) {
            throw new IllegalArgumentException(
                    "A row written to table "
                            + table
                            + " names topic '"
                            + topic
                            + "' in its 'topic' metadata column, but the table writes only to "
                            + allowed
                            + ". Add the topic to the table's 'topic' list (or pattern), or fix"
                            + " the column.");
        }
        return topic;
    }
}
