package io.github.flinkconfluent.connector.profile;

import org.apache.flink.configuration.Configuration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Secrets never show: neither the values written in key/secret/password fields nor the values their
 * templates resolve to, in {@code toString()}, {@code describe()} or any exception.
 */
class ProfileSecretsTest {

    private static final String RAW_KEY = "RAWKEY-4711";
    private static final String RAW_SECRET = "RAWSECRET-4711";
    private static final String RAW_PASSWORD = "RAWPASSWORD-4711";
    private static final String RESOLVED_SR_SECRET = "RESOLVED-SR-SECRET-4711";
    private static final List<String> SECRETS =
            List.of(RAW_KEY, RAW_SECRET, RAW_PASSWORD, RESOLVED_SR_SECRET);

    @TempDir Path dir;

    private static ConnectionProfile apiKeyProfile() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("bootstrap.servers", "pkc:9092");
        options.put("key", RAW_KEY);
        options.put("secret", RAW_SECRET);
        options.put("schema-registry.endpoint", "https://sr");
        options.put("schema-registry.api-key", "{{SR_KEY}}");
        options.put("schema-registry.api-secret", "{{SR_SECRET}}");
        options.put("properties.ssl.key.password", "{{SR_SECRET}}");
        return ConnectionProfiles.resolve(null, new Configuration(), options);
    }

    @Test
    void toStringAndDescribeShowNoSecret() throws Exception {
        ConnectionProfile profile = apiKeyProfile();
        Map<String, String> env = Map.of("SR_KEY", "k", "SR_SECRET", RESOLVED_SR_SECRET);
        assertThat(profile.kafkaProperties(env::get)).containsValue(RESOLVED_SR_SECRET);

        assertNoSecret(profile.toString());
        assertNoSecret(profile.describe());
        assertNoSecret(profile.schemaRegistry().orElseThrow().toString());
        assertThat(
                        new String(
                                ConnectionProfileTest.serialize(profile),
                                java.nio.charset.StandardCharsets.ISO_8859_1))
                .as("resolving does not store resolved values in the profile")
                .doesNotContain(RESOLVED_SR_SECRET);
        assertThat(profile.describe())
                .contains("'inline'")
                .contains("bootstrap.servers=pkc:9092")
                .contains("SASL_SSL/PLAIN (API key)")
                .contains("schema-registry=https://sr (basic auth)");
    }

    @Test
    void exceptionsShowNoSecret() throws Exception {
        List<Throwable> errors = new ArrayList<>();
        Function<Map<String, String>, Throwable> attempt =
                options ->
                        catchThrowable(
                                () ->
                                        ConnectionProfiles.resolve(
                                                null, new Configuration(), options));
        errors.add(attempt.apply(Map.of("bootstrap.servers", "b", "key", RAW_KEY)));
        errors.add(attempt.apply(Map.of("bootstrap.servers", "b", "secret", RAW_SECRET)));
        errors.add(
                attempt.apply(
                        Map.of(
                                "bootstrap.servers", "b",
                                "key", RAW_KEY,
                                "secret", RAW_SECRET,
                                "auth.password", RAW_PASSWORD)));
        errors.add(
                attempt.apply(
                        Map.of(
                                "bootstrap.servers",
                                "b",
                                "auth.type",
                                "sasl",
                                "auth.password",
                                RAW_PASSWORD)));
        errors.add(
                attempt.apply(
                        Map.of(
                                "bootstrap.servers", "b",
                                "schema-registry.endpoint", "https://sr",
                                "schema-registry.api-secret", RAW_SECRET)));
        errors.add(attempt.apply(Map.of("key", RAW_KEY, "secret", RAW_SECRET)));
        Configuration config = new Configuration();
        config.setString("confluent.profiles.p.secret", RAW_SECRET);
        config.setString("confluent.profiles.p.passwrd", RAW_PASSWORD);
        errors.add(catchThrowable(() -> ConnectionProfiles.resolve("p", config, Map.of())));
        Path file = dir.resolve("p.yaml");
        Files.writeString(file, "profiles:\n  p:\n    secret: " + RAW_SECRET + ": x\n");
        Configuration withFile = new Configuration();
        withFile.set(ConnectionProfiles.PROFILES_FILE, file.toString());
        errors.add(catchThrowable(() -> ConnectionProfiles.resolve("p", withFile, Map.of())));
        errors.add(
                catchThrowable(() -> apiKeyProfile().kafkaProperties(Map.of("SR_KEY", "x")::get)));
        errors.add(
                catchThrowable(
                        () ->
                                ConnectionProfiles.resolve(
                                                null,
                                                new Configuration(),
                                                Map.of(
                                                        "bootstrap.servers", "b",
                                                        "key", "{{K}}",
                                                        "secret", "{{S}}"))
                                        .kafkaProperties(Map.of("K", RAW_KEY)::get)));

        assertThat(errors).doesNotContainNull().hasSize(10);
        for (Throwable error : errors) {
            assertNoSecret(error.getMessage());
        }
    }

    private static void assertNoSecret(String text) {
        for (String secret : SECRETS) {
            assertThat(text).doesNotContain(secret);
        }
    }
}
