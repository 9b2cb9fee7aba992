package io.github.flinkconfluent.connector.table;

import io.github.flinkconfluent.connector.ConfluentConnectorOptions;
import io.github.flinkconfluent.connector.format.DataFormat;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.ValidationException;

import java.util.List;

/**
 * What {@code 'changelog' = 'debezium'} requires of a table, checked at planning time with errors
 * that name the option to change: a structured value format (the change event is a record), no key
 * columns (the images hold every column, the record key is not read), and no sink (writing change
 * events is not supported).
 */
@Internal
final class DebeziumTableRules {

    private DebeziumTableRules() {}

    static void checkSource(Configuration options, DataFormat format, String table) {
        if (format != DataFormat.AVRO && format != DataFormat.JSON) {
            throw new ValidationException(
                    "Table "
                            + table
                            + " has 'changelog' = 'debezium' with 'format' = '"
                            + format
                            + "', but Debezium change events are records: set 'format' to 'avro'"
                            + " or 'json' (registry-framed with the connection's Schema"
                            + " Registry), or remove 'changelog'.");
        }
        for (ConfigOption<?> keyOption :
                List.of(
                        ConfluentConnectorOptions.KEY_FIELDS,
                        ConfluentConnectorOptions.SINK_KEY_FIELD,
                        ConfluentConnectorOptions.KEY_FORMAT)) {
            if (options.getOptional(keyOption).isPresent()) {
                throw new ValidationException(
                        "Table "
                                + table
                                + " has 'changelog' = 'debezium' and sets '"
                                + keyOption.key()
                                + "', but a Debezium table takes every column from the change"
                                + " event's before/after images and does not read the record"
                                + " key. Remove '"
                                + keyOption.key()
                                + "' (declare the key as PRIMARY KEY (...) NOT ENFORCED).");
            }
        }
    }

    static void refuseSink(String table) {
        throw new ValidationException(
                "Table "
                        + table
                        + " has 'changelog' = 'debezium', which is read-only: writing Debezium"
                        + " change events is not supported. Write the rows to a table with"
                        + " 'changelog' = 'upsert' (with a PRIMARY KEY) or 'append' instead.");
    }
}
