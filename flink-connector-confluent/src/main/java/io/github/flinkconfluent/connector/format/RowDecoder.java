package io.github.flinkconfluent.connector.format;

import io.github.flinkconfluent.connector.format.wire.WireFormatException;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;

import java.io.Serializable;

/**
 * Decodes the bytes of a Kafka record key or value into a row of the table's columns.
 *
 * <p>Created at planning time (so it must be serializable and carry no open connection), opened
 * once per parallel task. Bad bytes end in a {@link WireFormatException}; anything else that goes
 * wrong (a registry outage) is an ordinary exception and fails the task. Not thread-safe.
 */
@Internal
public interface RowDecoder extends Serializable {

    /** Called once on the task before the first {@link #decode}: connect, fetch, compile. */
    default void open() throws Exception {}

    /** Decodes {@code message} (never null; tombstones are handled by the caller). */
    RowData decode(byte[] message) throws WireFormatException;

    /**
     * Called once when the task ends: releases what {@link #open} took (a share of the registry
     * client, which must not outlive the job).
     */
    default void close() throws Exception {}
}
