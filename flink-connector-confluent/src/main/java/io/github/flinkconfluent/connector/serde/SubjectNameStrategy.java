package io.github.flinkconfluent.connector.serde;

import org.apache.flink.annotation.PublicEvolving;

import javax.annotation.Nullable;

/**
 * How a serializer names the registry subject it registers (or finds) a schema under: Confluent's
 * three strategies, with the same subjects as Confluent's serializers, so that a Flink job and a
 * Java or Node producer on the same topic share one subject.
 */
@PublicEvolving
public enum SubjectNameStrategy {
    /** {@code <topic>-value} / {@code <topic>-key}: one schema (and its evolution) per topic. */
    TOPIC_NAME,
    /** The record's full name ({@code com.acme.Order}): one record type across topics. */
    RECORD_NAME,
    /** {@code <topic>-<record full name>}: several record types in one topic. */
    TOPIC_RECORD_NAME;

    /**
     * The subject for a value (or key) written to {@code topic} whose schema's full name is {@code
     * recordName}.
     *
     * @throws IllegalArgumentException when the strategy needs a record name and the schema has
     *     none (a JSON Schema without {@code title}, an Avro primitive)
     */
    public String subject(String topic, boolean isKey, @Nullable String recordName) {
        switch (this) {
            case TOPIC_NAME:
                return topic + (isKey ? "-key" : "-value");
            case RECORD_NAME:
                return requireName(recordName, topic);
            case TOPIC_RECORD_NAME:
                return topic + "-" + requireName(recordName, topic);
            default:
                throw new IllegalStateException("Unknown strategy " + this);
        }
    }

    private String requireName(@Nullable String recordName, String topic) {
        if (recordName == null || recordName.isEmpty()) {
            throw new IllegalArgumentException(
                    "The subject name strategy "
                            + this
                            + " needs a named schema (an Avro record, enum or fixed; a JSON Schema"
                            + " with a 'title'), but a value for topic '"
                            + topic
                            + "' has none. Use TOPIC_NAME or a fixed subject instead.");
        }
        return recordName;
    }
}
