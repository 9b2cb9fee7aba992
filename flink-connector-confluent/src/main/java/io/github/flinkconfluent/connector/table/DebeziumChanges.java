package io.github.flinkconfluent.connector.table;

import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.format.wire.WireFormatException.Reason;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.VarCharType;
import org.apache.flink.types.RowKind;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.util.List;

/**
 * What one Debezium change event means for a table: the rows, with their kinds, that the event's
 * {@code op} and its {@code before} / {@code after} images stand for.
 *
 * <p>The event is decoded by the table's ordinary value format (registry Avro or JSON) as a row of
 * {@link #envelopeType}: the images are nested rows of the table's own columns, so that they are
 * read straight from the wire bytes with the writer's schema, field by name, with Avro's schema
 * evolution; {@code source} is read as JSON text (a JSON column) for the metadata columns; fields
 * the table does not need ({@code transaction}) are skipped by the decoder.
 *
 * <p>Two ways to read updates, chosen by whether the table declares a PRIMARY KEY:
 *
 * <ul>
 *   <li>With a key, the table is an upsert changelog: {@code c}/{@code r} are INSERTs and {@code u}
 *       an UPDATE_AFTER of {@code after} alone, {@code d} a DELETE of {@code before}; the planner's
 *       normalize step (state per key) restores the before-images. This works whatever the database
 *       logs as {@code before} (Postgres' default REPLICA IDENTITY logs none for updates and only
 *       the key for deletes).
 *   <li>Without a key, every change must carry its full before-image: {@code u} becomes
 *       UPDATE_BEFORE of {@code before} and UPDATE_AFTER of {@code after}, and an update without
 *       {@code before} is bad data, as it would leave the old row in the table.
 * </ul>
 *
 * Anything else — no {@code op}, an unknown one (including truncates {@code t} and messages {@code
 * m}), a missing image — is bad data ({@link Reason#BAD_CHANGE_EVENT}), handled by the table's
 * {@code bad_data} policy.
 */
@Internal
final class DebeziumChanges implements Serializable {

    private static final long serialVersionUID = 1L;

    static final int BEFORE = 0;
    static final int AFTER = 1;
    static final int OP = 2;
    static final int SOURCE = 3;
    static final int TS_MS = 4;

    private final int arity;
    private final boolean upsert;

    /**
     * @param physical the table's physical columns (the images' fields)
     * @param upsert true when the table has a PRIMARY KEY (see the class comment)
     */
    DebeziumChanges(RowType physical, boolean upsert) {
        this.arity = physical.getFieldCount();
        this.upsert = upsert;
    }

    /** Whether the table has a PRIMARY KEY and reads as an upsert changelog. */
    boolean upsert() {
        return upsert;
    }

    /**
     * The row type the value format decodes a change event into: {@code before} and {@code after}
     * as nullable rows of the table's columns, {@code op}, {@code source} (as JSON text) and {@code
     * ts_ms}, all nullable so that a missing field is a clear bad change event, not a decode error.
     */
    static RowType envelopeType(RowType physical) {
        LogicalType image = physical.copy(true);
        return RowType.of(
                new LogicalType[] {
                    image,
                    image.copy(),
                    VarCharType.STRING_TYPE,
                    VarCharType.STRING_TYPE,
                    new BigIntType(true)
                },
                new String[] {"before", "after", "op", "source", "ts_ms"});
    }

    /** The rows {@code envelope} stands for, in the order to emit them. */
    List<RowData> rows(RowData envelope) throws WireFormatException {
        if (envelope.isNullAt(OP)) {
            throw bad("it has no 'op' field (or op is null); is this topic written by Debezium?");
        }
        String op = envelope.getString(OP).toString();
        switch (op) {
            case "c":
            case "r":
                return List.of(image(envelope, AFTER, RowKind.INSERT, op));
            case "u":
                if (upsert) {
                    return List.of(image(envelope, AFTER, RowKind.UPDATE_AFTER, op));
                }
                if (envelope.isNullAt(BEFORE)) {
                    throw bad(
                            "the update ('op' = 'u') has no 'before' image, which a table without"
                                    + " a PRIMARY KEY needs to retract the old row. Declare the"
                                    + " table's PRIMARY KEY (... NOT ENFORCED), or make the"
                                    + " database log full before-images (Postgres: ALTER TABLE"
                                    + " ... REPLICA IDENTITY FULL)");
                }
                return List.of(
                        image(envelope, BEFORE, RowKind.UPDATE_BEFORE, op),
                        image(envelope, AFTER, RowKind.UPDATE_AFTER, op));
            case "d":
                return List.of(image(envelope, BEFORE, RowKind.DELETE, op));
            default:
                throw bad(
                        "its 'op' is '"
                                + abbreviate(op)
                                + "', not one of c (create), r (read), u (update), d (delete)");
        }
    }

    private RowData image(RowData envelope, int field, RowKind kind, String op)
            throws WireFormatException {
        if (envelope.isNullAt(field)) {
            throw bad(
                    "the change 'op' = '"
                            + op
                            + "' has no '"
                            + (field == BEFORE ? "before" : "after")
                            + "' image (it is null)");
        }
        // The row formats build GenericRowData, fresh for every record: its kind may be set.
        GenericRowData row = (GenericRowData) envelope.getRow(field, arity);
        row.setRowKind(kind);
        return row;
    }

    /** The envelope's {@code ts_ms}, or null. */
    @Nullable
    static Long timestamp(RowData envelope) {
        return envelope.isNullAt(TS_MS) ? null : envelope.getLong(TS_MS);
    }

    /** The envelope's {@code source} as JSON text, or null. */
    @Nullable
    static String source(RowData envelope) {
        return envelope.isNullAt(SOURCE) ? null : envelope.getString(SOURCE).toString();
    }

    private static String abbreviate(String op) {
        return op.length() <= 20 ? op : op.substring(0, 20) + "...";
    }

    private static WireFormatException bad(String why) {
        return new WireFormatException(
                Reason.BAD_CHANGE_EVENT,
                -1,
                "not a Debezium change event this table reads: " + why);
    }
}
