package io.github.flinkconfluent.connector.table;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.table.api.ValidationException;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Flink-standard option spellings (those of Flink's own Kafka connector) accepted as aliases of the
 * connector's own options, translated before the options are read. Giving both spellings is an
 * error.
 */
@Internal
public final class OptionAliases {

    private record Alias(String canonical, UnaryOperator<String> value) {}

    private static final Map<String, Alias> ALIASES = new HashMap<>();

    static {
        ALIASES.put(
                "scan.startup.mode",
                new Alias(
                        "source.offset",
                        v ->
                                switch (v) {
                                    case "earliest-offset" -> "earliest";
                                    case "latest-offset" -> "latest";
                                    case "group-offsets" -> "group";
                                    case "timestamp" -> "timestamp";
                                    case "specific-offsets" -> "specific_offsets";
                                    default ->
                                            throw new ValidationException(
                                                    "Unsupported 'scan.startup.mode' value '"
                                                            + v
                                                            + "'; use earliest-offset,"
                                                            + " latest-offset, group-offsets,"
                                                            + " timestamp or specific-offsets");
                                }));
        ALIASES.put(
                "scan.startup.timestamp-millis",
                new Alias("source.offset.timestamp", UnaryOperator.identity()));
        ALIASES.put(
                "scan.startup.specific-offsets",
                new Alias("source.offset.specific", UnaryOperator.identity()));
        ALIASES.put(
                "scan.bounded.mode",
                new Alias(
                        "source.bounded",
                        v ->
                                switch (v) {
                                    case "unbounded" -> "unbounded";
                                    case "latest-offset" -> "latest";
                                    case "group-offsets" -> "group";
                                    case "timestamp" -> "timestamp";
                                    case "specific-offsets" -> "specific_offsets";
                                    default ->
                                            throw new ValidationException(
                                                    "Unsupported 'scan.bounded.mode' value '"
                                                            + v
                                                            + "'; use unbounded, latest-offset,"
                                                            + " group-offsets, timestamp or"
                                                            + " specific-offsets");
                                }));
        ALIASES.put(
                "scan.bounded.timestamp-millis",
                new Alias("source.bounded.timestamp", UnaryOperator.identity()));
        ALIASES.put(
                "scan.bounded.specific-offsets",
                new Alias("source.bounded.specific", UnaryOperator.identity()));
        ALIASES.put(
                "scan.topic-partition-discovery.interval",
                new Alias("source.partition_discovery.interval", UnaryOperator.identity()));
        ALIASES.put("properties.group.id", new Alias("source.group_id", UnaryOperator.identity()));
        ALIASES.put(
                "properties.isolation.level",
                new Alias(
                        "source.read_mode",
                        v -> v.replace('-', '_').toLowerCase(java.util.Locale.ROOT)));
        ALIASES.put("value.format", new Alias("format", UnaryOperator.identity()));
        ALIASES.put(
                "sink.delivery-guarantee",
                new Alias(
                        "sink.commit_mode",
                        v ->
                                switch (v) {
                                    case "exactly-once" -> "exactly_once";
                                    case "at-least-once" -> "at_least_once";
                                    default ->
                                            throw new ValidationException(
                                                    "Unsupported 'sink.delivery-guarantee' value '"
                                                            + v
                                                            + "'; use exactly-once or"
                                                            + " at-least-once");
                                }));
        ALIASES.put(
                "sink.buffer-flush.max-rows",
                new Alias("sink.buffer_flush.max_rows", UnaryOperator.identity()));
        ALIASES.put(
                "sink.buffer-flush.interval",
                new Alias("sink.buffer_flush.interval", UnaryOperator.identity()));
        ALIASES.put(
                "sink.transactional-id-prefix",
                new Alias("sink.transactional_id_prefix", UnaryOperator.identity()));
    }

    private OptionAliases() {}

    /** The alias keys, declared as optional options so that validation accepts them. */
    public static Set<ConfigOption<?>> aliasOptions() {
        Set<ConfigOption<?>> options = new LinkedHashSet<>();
        for (String key : ALIASES.keySet()) {
            options.add(
                    ConfigOptions.key(key)
                            .stringType()
                            .noDefaultValue()
                            .withDescription("Alias of '" + ALIASES.get(key).canonical() + "'."));
        }
        return options;
    }

    /** {@code options} with every alias replaced by its canonical key and value. */
    public static Map<String, String> canonicalize(Map<String, String> options) {
        Map<String, String> result = new HashMap<>(options);
        for (Map.Entry<String, Alias> entry : ALIASES.entrySet()) {
            String value = result.remove(entry.getKey());
            if (value == null) {
                continue;
            }
            String canonical = entry.getValue().canonical();
            if (result.containsKey(canonical)) {
                throw new ValidationException(
                        "Options '"
                                + entry.getKey()
                                + "' and '"
                                + canonical
                                + "' mean the same; set only one of them");
            }
            result.put(canonical, entry.getValue().value().apply(value.trim()));
        }
        return result;
    }
}
