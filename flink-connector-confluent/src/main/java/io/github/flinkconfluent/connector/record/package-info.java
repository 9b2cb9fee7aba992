/**
 * How a DataStream job's elements become Kafka records and back: the {@code
 * ConfluentRecordDeserializer} a {@code ConfluentSource} applies to each consumed record, the
 * {@code ConfluentRecordSerializer} and optional {@code ConfluentPartitioner} a {@code
 * ConfluentSink} applies to each element. They live apart from the source and sink packages so that
 * the readers and writers that call them do not depend on the builders that create them.
 */
package io.github.flinkconfluent.connector.record;
