package io.github.flinkconfluent.connector.table;

import io.github.flinkconfluent.connector.ConfluentConnectorOptions;
import io.github.flinkconfluent.connector.ConfluentConnectorOptions.Changelog;
import io.github.flinkconfluent.connector.sink.SinkSettings;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.ValidationException;

import java.util.HashSet;
import java.util.List;

/**
 * What {@code 'changelog' = 'upsert'} requires of a table's schema and options, checked at planning
 * time with errors that name the option to change.
 *
 * <p>Key columns: an upsert table's rows are identified by the record key, and a compacted topic
 * keeps the latest record of each key: so the key must be exactly the PRIMARY KEY. Fewer columns
 * would merge different rows into one key; more would let one row live under several keys, so that
 * a delete or update of it leaves stale records behind. The key columns default to the primary key;
 * {@code key.fields} (or {@code sink.key_field}) may name them too, but only as the same set. An
 * append table keeps its declared key columns, and its primary key (if any) means nothing to it.
 */
@Internal
final class UpsertTableRules {

    private UpsertTableRules() {}

    /**
     * The key columns to use.
     *
     * @param declared the columns of {@code key.fields} / {@code sink.key_field} (may be empty)
     * @param primaryKey the table's PRIMARY KEY columns (empty: none declared)
     */
    static List<String> keyColumns(
            Changelog changelog, List<String> declared, List<String> primaryKey, String table) {
        if (changelog != Changelog.UPSERT) {
            return declared;
        }
        if (primaryKey.isEmpty()) {
            throw new ValidationException(
                    "Table "
                            + table
                            + " has 'changelog' = 'upsert', which needs a PRIMARY KEY: its columns"
                            + " are the Kafka record key that identifies a row. Declare one, e.g."
                            + " PRIMARY KEY (id) NOT ENFORCED, or remove 'changelog' (default"
                            + " 'append') for an insert-only table.");
        }
        if (declared.isEmpty()) {
            return primaryKey;
        }
        if (!new HashSet<>(declared).equals(new HashSet<>(primaryKey))) {
            throw new ValidationException(
                    "Table "
                            + table
                            + " has 'changelog' = 'upsert' with PRIMARY KEY "
                            + primaryKey
                            + ", but its key columns ('key.fields' / 'sink.key_field') are "
                            + declared
                            + ". The record key must be exactly the primary key: leave"
                            + " 'key.fields' out (it then is the primary key) or make it '"
                            + String.join(";", primaryKey)
                            + "'.");
        }
        return declared;
    }

    /**
     * Refuses to read an upsert table in batch mode, where Flink reads only insert-only sources:
     * its own error names neither the option nor the way that works.
     */
    static void checkBatchRead(Changelog changelog, String table) {
        if (changelog != Changelog.APPEND) {
            throw new ValidationException(
                    "Table "
                            + table
                            + " has 'changelog' = '"
                            + changelog
                            + "' and cannot be read in batch mode: Flink"
                            + " reads changelogs (updates and deletes) in streaming mode only."
                            + " Read it in streaming mode with 'source.bounded' = 'latest' (the"
                            + " query then ends with the table's state at the offsets seen at"
                            + " start), or declare a second table over the topic with 'changelog'"
                            + " = 'append' to read every record as a row.");
        }
    }

    /**
     * Refuses the sink buffer options on an append table: dropping all but the last record of a key
     * is only right when each record is its key's full state.
     */
    static void checkBufferOptions(Configuration options, Changelog changelog, String table) {
        boolean buffered =
                options.getOptional(ConfluentConnectorOptions.SINK_BUFFER_FLUSH_MAX_ROWS)
                                .isPresent()
                        || options.getOptional(ConfluentConnectorOptions.SINK_BUFFER_FLUSH_INTERVAL)
                                .isPresent();
        if (buffered && changelog != Changelog.UPSERT) {
            throw new ValidationException(
                    "Table "
                            + table
                            + " sets '"
                            + ConfluentConnectorOptions.SINK_BUFFER_FLUSH_MAX_ROWS.key()
                            + "' / '"
                            + ConfluentConnectorOptions.SINK_BUFFER_FLUSH_INTERVAL.key()
                            + "', which keep only the last change of each key; that is only"
                            + " right for 'changelog' = 'upsert'. Set 'changelog' = 'upsert'"
                            + " (with a PRIMARY KEY), or remove the buffer options.");
        }
        try {
            SinkSettings.bufferMaxKeys(options);
        } catch (IllegalArgumentException e) {
            throw new ValidationException("Table " + table + ": " + e.getMessage());
        }
    }
}
