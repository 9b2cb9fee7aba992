package io.github.flinkconfluent.connector.table;

import io.github.flinkconfluent.connector.format.DataFormat;
import io.github.flinkconfluent.connector.format.FormatOptions;
import io.github.flinkconfluent.connector.format.RowEncoder;
import io.github.flinkconfluent.connector.format.factory.RowFormats;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.types.logical.RowType;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * The encoder of a key or value for each topic a sink writes to. A sink whose rows choose their
 * topic (the {@code topic} metadata column) writes each topic's records with that topic's subject,
 * {@code <topic>-value} / {@code <topic>-key} (TopicNameStrategy): the schema is registered there,
 * or the subject's fitting latest version reused, the first time a task writes to the topic, and
 * the encoder kept for the next rows. An explicit {@code value.subject} / {@code key.subject}, or a
 * format without a registry, is the same for every topic: one encoder.
 */
@Internal
final class TopicEncoders implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Topics one task keeps an encoder for; more is a table that routes by something unbounded. */
    static final int MAX_TOPICS = 10_000;

    private final DataFormat format;
    private final RowType rowType;
    private final FormatOptions options;
    @Nullable private final String suffix;

    private transient Map<String, RowEncoder> encoders;

    /**
     * @param options the format's options; their subject is replaced per topic
     * @param suffix {@code -value} or {@code -key} to derive each topic's subject, or null when the
     *     subject does not depend on the topic (set explicitly, or no registry)
     */
    TopicEncoders(
            DataFormat format, RowType rowType, FormatOptions options, @Nullable String suffix) {
        this.format = format;
        this.rowType = rowType;
        this.options = options;
        this.suffix = suffix;
        RowFormats.encoder(format, rowType, options); // unsupported columns fail at planning
    }

    /** The subject the records of {@code topic} are written with. */
    String subjectOf(String topic) {
        return suffix == null ? options.subject() : topic + suffix;
    }

    /** The options of the encoder for {@code topic}. */
    FormatOptions optionsFor(String topic) {
        return options.withSubject(subjectOf(topic));
    }

    /** A planning-time encoder for {@code topic}, not opened (for the registry check). */
    RowEncoder plannedFor(String topic) {
        return RowFormats.encoder(format, rowType, optionsFor(topic));
    }

    /** The opened encoder for {@code topic}, created on its first record in this task. */
    RowEncoder forTopic(String topic) throws Exception {
        if (encoders == null) {
            encoders = new HashMap<>();
        }
        String subject = subjectOf(topic);
        RowEncoder encoder = encoders.get(subject);
        if (encoder == null) {
            if (encoders.size() >= MAX_TOPICS) {
                throw new IllegalStateException(
                        "A sink task wrote to more than "
                                + MAX_TOPICS
                                + " subjects; the next one would be '"
                                + subject
                                + "' (topic '"
                                + topic
                                + "'). Check what the 'topic' metadata column holds.");
            }
            encoder = RowFormats.encoder(format, rowType, optionsFor(topic));
            encoder.open(); // registry errors name the subject
            encoders.put(subject, encoder);
        }
        return encoder;
    }
}
