package io.github.flinkconfluent.connector.profile;

import io.github.flinkconfluent.connector.secrets.SecretTemplates;

import org.apache.flink.annotation.Internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Warns about passwords and secrets written as literal values instead of {@code {{VAR}}} templates.
 *
 * <p>A literal secret works, but it is part of the profile and goes wherever the profile goes: the
 * SQL session's configuration, a catalog's options, the plan, the job graph (and so the job's
 * configuration in the REST API for keys Flink does not recognise as sensitive). It is accepted, as
 * Arroyo's Confluent connector accepts it, with a WARN that names the setting so the user can move
 * it into an environment variable; the value itself is never logged.
 *
 * <p>Warned about: profile fields that hold a password or secret ({@code secret}, {@code
 * auth.password}, trust store passwords, {@code schema-registry.api-secret}, …) and {@code
 * properties.*} entries that are secrets by kind ({@code sasl.jaas.config}, {@code *password},
 * {@code *secret*}, {@code ssl.keystore.key}). User names and API keys identify rather than
 * authenticate and are not warned about.
 */
@Internal
final class LiteralSecrets {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionProfile.class);

    private LiteralSecrets() {}

    /**
     * Logs one WARN per literal secret in {@code settings} (keys as in a profile: fields and {@code
     * properties.*}).
     *
     * @param context names the profile, e.g. {@code Connection profile 'x' (…)}
     * @param settingName the full name of a key's setting, for the message
     */
    static void warn(
            String context, Map<String, String> settings, Function<String, String> settingName) {
        for (Map.Entry<String, String> e : settings.entrySet()) {
            if (isSecret(e.getKey())
                    && e.getValue() != null
                    && !SecretTemplates.isTemplate(e.getValue())) {
                LOG.warn(
                        "{}: '{}' holds a literal value instead of a {{VAR}} template. It is"
                                + " accepted, but it is stored with the profile wherever the"
                                + " profile goes (session configuration, catalog, plan, job"
                                + " graph). Put it into an environment variable of every Flink"
                                + " process and write '{{VARIABLE}}' instead.",
                        context,
                        settingName.apply(e.getKey()));
            }
        }
    }

    static boolean isSecret(String key) {
        if (key.startsWith(ConnectionProfiles.PROPERTIES_PREFIX)) {
            String property =
                    key.substring(ConnectionProfiles.PROPERTIES_PREFIX.length())
                            .toLowerCase(Locale.ROOT);
            return property.equals("sasl.jaas.config")
                    || property.equals("ssl.keystore.key")
                    || property.endsWith("password")
                    || property.contains("secret");
        }
        return ProfileField.of(key)
                .filter(ProfileField::isSecret)
                .map(f -> f.key().contains("password") || f.key().contains("secret"))
                .orElse(false);
    }
}
