package io.github.flinkconfluent.connector.profile;

import io.github.flinkconfluent.connector.registry.SchemaRegistryConfig;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a profile's {@code schema-registry.*} fields into a {@link SchemaRegistryConfig}.
 *
 * <p>Every field goes into the config as written, {@code {{VAR}}} templates included: the registry
 * client resolves them when it is created, on the machine that calls the registry. The endpoint and
 * trust store location are not secret in themselves, but a template in them may name any variable
 * of the process, so they too are shown only as written (and a templated endpoint's form is checked
 * when it is resolved).
 */
@Internal
final class RegistrySettings {

    private static final List<String> TRUSTSTORE_TYPES = List.of("JKS", "PEM", "PKCS12");

    private RegistrySettings() {}

    /**
     * Checks the combination of registry fields when the profile is built, and the endpoint's form
     * when it holds no template, so mistakes show at planning time.
     */
    static void validate(Map<String, String> fields, String context) {
        String endpoint = fields.get(ProfileField.SCHEMA_REGISTRY_ENDPOINT.key());
        if (endpoint == null) {
            List<String> orphans =
                    fields.keySet().stream()
                            .filter(k -> k.startsWith("schema-registry."))
                            .sorted()
                            .toList();
            if (!orphans.isEmpty()) {
                throw invalid(context, orphans + " set but 'schema-registry.endpoint' is not");
            }
            return;
        }
        boolean hasKey = fields.containsKey(ProfileField.SCHEMA_REGISTRY_API_KEY.key());
        boolean hasSecret = fields.containsKey(ProfileField.SCHEMA_REGISTRY_API_SECRET.key());
        if (hasKey != hasSecret) {
            throw invalid(
                    context,
                    "'"
                            + (hasKey ? "schema-registry.api-key" : "schema-registry.api-secret")
                            + "' is set but '"
                            + (hasKey ? "schema-registry.api-secret" : "schema-registry.api-key")
                            + "' is missing: registry credentials need both");
        }
        boolean location =
                fields.containsKey(ProfileField.SCHEMA_REGISTRY_TRUSTSTORE_LOCATION.key());
        for (ProfileField f :
                List.of(
                        ProfileField.SCHEMA_REGISTRY_TRUSTSTORE_PASSWORD,
                        ProfileField.SCHEMA_REGISTRY_TRUSTSTORE_TYPE)) {
            if (fields.containsKey(f.key()) && !location) {
                throw invalid(
                        context,
                        "'"
                                + f.key()
                                + "' is set but 'schema-registry.ssl.truststore.location' is not");
            }
        }
        String type = fields.get(ProfileField.SCHEMA_REGISTRY_TRUSTSTORE_TYPE.key());
        if (type != null && !TRUSTSTORE_TYPES.contains(type.trim().toUpperCase(Locale.ROOT))) {
            throw invalid(
                    context,
                    "'schema-registry.ssl.truststore.type' is '"
                            + type
                            + "'; valid values: "
                            + String.join(", ", TRUSTSTORE_TYPES));
        }
        config(fields, context);
    }

    /**
     * The registry config, or empty when the profile has no endpoint. Every value goes in as
     * written: the registry client resolves templates where it connects.
     */
    static Optional<SchemaRegistryConfig> config(Map<String, String> fields, String context) {
        String endpoint = fields.get(ProfileField.SCHEMA_REGISTRY_ENDPOINT.key());
        if (endpoint == null) {
            return Optional.empty();
        }
        try {
            SchemaRegistryConfig.Builder builder = SchemaRegistryConfig.builder(endpoint);
            String key = fields.get(ProfileField.SCHEMA_REGISTRY_API_KEY.key());
            if (key != null) {
                builder.basicAuth(key, fields.get(ProfileField.SCHEMA_REGISTRY_API_SECRET.key()));
            }
            builder.allowCredentialsOverHttp(
                    Boolean.parseBoolean(
                            fields.get(ProfileField.SCHEMA_REGISTRY_ALLOW_HTTP_CREDENTIALS.key())));
            String location = fields.get(ProfileField.SCHEMA_REGISTRY_TRUSTSTORE_LOCATION.key());
            if (location != null) {
                String type = fields.get(ProfileField.SCHEMA_REGISTRY_TRUSTSTORE_TYPE.key());
                builder.truststore(
                        location,
                        fields.get(ProfileField.SCHEMA_REGISTRY_TRUSTSTORE_PASSWORD.key()),
                        type == null ? "PKCS12" : type.trim().toUpperCase(Locale.ROOT));
            }
            return Optional.of(builder.build());
        } catch (IllegalArgumentException e) {
            // The builder's messages name the setting, show values as written and never a
            // credential.
            throw invalid(context, e.getMessage());
        }
    }

    private static ValidationException invalid(String context, String message) {
        return new ValidationException(context + ": " + message);
    }
}
