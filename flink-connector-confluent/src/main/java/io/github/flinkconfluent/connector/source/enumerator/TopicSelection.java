package io.github.flinkconfluent.connector.source.enumerator;

import org.apache.flink.annotation.Internal;

import java.io.Serializable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Which topics a source reads: a fixed list ({@code 'topic' = 'a;b'}) or every topic whose whole
 * name matches a regular expression ({@code 'topic-pattern'}). A pattern is re-evaluated at every
 * partition discovery, so that topics created while the job runs are read too; a listed topic that
 * does not exist is an error that names it.
 */
@Internal
public final class TopicSelection implements Serializable {

    private static final long serialVersionUID = 1L;

    private final List<String> topics;
    private final String pattern;
    private transient Pattern compiled;

    private TopicSelection(List<String> topics, String pattern) {
        this.topics = topics;
        this.pattern = pattern;
    }

    /** These topics, in this order, without duplicates. */
    public static TopicSelection of(List<String> topics) {
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("No topic to read");
        }
        return new TopicSelection(List.copyOf(new LinkedHashSet<>(topics)), null);
    }

    /** Every topic whose whole name matches {@code regex}; fails on an invalid expression. */
    public static TopicSelection matching(String regex) {
        Pattern.compile(regex); // PatternSyntaxException names the position
        return new TopicSelection(List.of(), regex);
    }

    public boolean isPattern() {
        return pattern != null;
    }

    /** The listed topics (empty for a pattern). */
    public List<String> topics() {
        return topics;
    }

    /** True when exactly one topic is listed: offsets given by partition number alone fit it. */
    public boolean isSingleTopic() {
        return pattern == null && topics.size() == 1;
    }

    /** Whether {@code topic} is one of the listed topics, or matches the pattern. */
    public boolean accepts(String topic) {
        return pattern == null ? topics.contains(topic) : compiled().matcher(topic).matches();
    }

    /** The topics to read now: the listed ones, or those {@code client} knows that match. */
    public Set<String> resolve(PartitionMetadataClient client) {
        if (pattern == null) {
            return new LinkedHashSet<>(topics);
        }
        Set<String> matching = new TreeSet<>();
        for (String topic : client.topicNames()) {
            if (compiled().matcher(topic).matches()) {
                matching.add(topic);
            }
        }
        return matching;
    }

    private Pattern compiled() {
        if (compiled == null) {
            compiled = Pattern.compile(pattern);
        }
        return compiled;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TopicSelection other
                && topics.equals(other.topics)
                && Objects.equals(pattern, other.pattern);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topics, pattern);
    }

    /**
     * For messages: {@code topic 'a'}, {@code topics 'a', 'b'} or {@code topics matching 'x.*'}.
     */
    @Override
    public String toString() {
        if (pattern != null) {
            return "topics matching '" + pattern + "'";
        }
        return (topics.size() == 1 ? "topic '" : "topics '") + String.join("', '", topics) + "'";
    }
}
