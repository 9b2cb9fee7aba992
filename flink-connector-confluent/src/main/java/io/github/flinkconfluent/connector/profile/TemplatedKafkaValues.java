package io.github.flinkconfluent.connector.profile;

import org.apache.flink.annotation.Internal;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.utils.Utils;

import java.util.List;

/**
 * Checks a Kafka client value that came from a {@code {{VAR}}} template before Kafka sees it.
 *
 * <p>Kafka quotes a value it rejects ("Invalid value … for configuration …", "Invalid url in
 * bootstrap.servers: …"), and a failed job shows that message to whoever wrote the table; with a
 * template such as {@code '{{AWS_SECRET_ACCESS_KEY}}'} in {@code properties.linger.ms}, that would
 * be the variable's value. So a templated value is parsed here with Kafka's own definition of the
 * property, and a rejection is reported with the value as written and the property's type and valid
 * values, never with the value itself or Kafka's message (whose list validators quote parts of the
 * value).
 */
@Internal
final class TemplatedKafkaValues {

    private static final List<ConfigDef> DEFINITIONS =
            List.of(
                    ProducerConfig.configDef(),
                    ConsumerConfig.configDef(),
                    AdminClientConfig.configDef());

    private TemplatedKafkaValues() {}

    /**
     * @param property the Kafka client property, e.g. {@code linger.ms}
     * @param resolved its value with templates resolved
     * @param written its value as written
     * @param setting the setting as the user wrote it, for the message
     * @throws IllegalArgumentException if Kafka would reject the resolved value
     */
    static void check(String property, String resolved, String written, String setting) {
        if (resolved.equals(written)) {
            return; // no template: Kafka's own message quotes only what the user wrote
        }
        if (property.equals("bootstrap.servers")) {
            checkServers(resolved, written, setting);
            return;
        }
        for (ConfigDef definition : DEFINITIONS) {
            ConfigDef.ConfigKey key = definition.configKeys().get(property);
            if (key == null) {
                continue;
            }
            try {
                Object parsed = ConfigDef.parseType(property, resolved, key.type);
                if (key.validator != null) {
                    key.validator.ensureValid(property, parsed);
                }
            } catch (ConfigException | IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "Kafka rejects the value of '"
                                + setting
                                + "' (written as '"
                                + written
                                + "'): '"
                                + property
                                + "' takes a value of type "
                                + key.type
                                + (key.validator == null ? "" : ", valid values: " + key.validator)
                                + ". The value is not shown because it comes from a template.");
            }
            return;
        }
    }

    private static void checkServers(String resolved, String written, String setting) {
        for (String server : resolved.split(",")) {
            String s = server.trim();
            if (s.isEmpty() || Utils.getHost(s) == null || Utils.getPort(s) == null) {
                throw new IllegalArgumentException(
                        "'"
                                + setting
                                + "' (written as '"
                                + written
                                + "') must resolve to a comma-separated list of host:port"
                                + " entries. The value is not shown because it comes from a"
                                + " template.");
            }
        }
    }
}
