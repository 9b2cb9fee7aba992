/**
 * The values of the connector's enumerated options ({@code source.offset}, {@code bad_data}, {@code
 * sink.commit_mode}, ...), shared by the SQL options in {@code ConfluentConnectorOptions} and the
 * DataStream builders of {@code ConfluentSource} and {@code ConfluentSink}. They live in their own
 * package so that neither side depends on the other.
 */
package io.github.flinkconfluent.connector.options;
