package io.github.flinkconfluent.connector.profile;

import io.github.flinkconfluent.connector.registry.SchemaRegistryConfig;

import org.apache.flink.table.api.ValidationException;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.security.JaasContext;
import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.junit.jupiter.api.Test;

import javax.security.auth.spi.LoginModule;

import java.util.HashMap;
import java.util.Map;

import static io.github.flinkconfluent.connector.profile.ConnectionProfileTest.profile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The profile fields that Confluent Cloud setups beyond an API key need — OAuth for the brokers,
 * client certificates, bearer tokens and client certificates for the registry — and what they
 * become. The same setups against real services are in {@code SecuredConnectionsITCase}.
 */
@SuppressWarnings("unchecked")
class CloudSecurityProfileTest {

    private static final Map<String, String> ENV =
            Map.of(
                    "CLIENT_ID", "sa-abc123",
                    "CLIENT_SECRET", "c-s3cret",
                    "POOL", "pool-Ab1",
                    "KS_PW", "ks-pw",
                    "KEY_PW", "key-pw",
                    "AWKWARD", "a,b=c\"d");

    private static ConnectionProfile oauth(String... more) {
        String[] base = {
            "bootstrap.servers", "pkc-1.confluent.cloud:9092",
            "auth.type", "sasl",
            "auth.mechanism", "oauthbearer",
            "auth.oauth.token-endpoint", "https://idp.example/oauth2/token",
            "auth.oauth.client-id", "{{CLIENT_ID}}",
            "auth.oauth.client-secret", "{{CLIENT_SECRET}}"
        };
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return profile(all);
    }

    @Test
    void oauthBecomesOAuthBearerWithClientCredentialsScopeAndExtensions() {
        ConnectionProfile profile =
                oauth(
                        "auth.oauth.scope", "kafka openid",
                        "auth.oauth.extensions", "logicalCluster=lkc-x1y2,identityPoolId={{POOL}}");

        Map<String, String> props = profile.kafkaProperties(ENV::get);

        assertThat(props)
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "OAUTHBEARER")
                .containsEntry(
                        "sasl.login.callback.handler.class",
                        "org.apache.kafka.common.security.oauthbearer"
                                + ".OAuthBearerLoginCallbackHandler")
                .containsEntry(
                        "sasl.oauthbearer.token.endpoint.url", "https://idp.example/oauth2/token")
                .containsEntry("sasl.oauthbearer.client.credentials.client.id", "sa-abc123")
                .containsEntry("sasl.oauthbearer.client.credentials.client.secret", "c-s3cret")
                .containsEntry("sasl.oauthbearer.scope", "kafka openid")
                .containsEntry(
                        "sasl.jaas.config",
                        "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule"
                                + " required extension_logicalCluster=\"lkc-x1y2\""
                                + " extension_identityPoolId=\"pool-Ab1\";");
        // Kafka itself accepts the settings: its config parser and JAAS parser read them back.
        Map<String, Object> config = new HashMap<>(props);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArrays.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArrays.class.getName());
        new ProducerConfig(config);
        Map<String, Object> options =
                (Map<String, Object>)
                        JaasContext.loadClientContext(
                                        Map.of(
                                                "sasl.jaas.config",
                                                new Password(props.get("sasl.jaas.config"))))
                                .configurationEntries()
                                .get(0)
                                .getOptions();
        assertThat(options)
                .containsEntry("extension_logicalCluster", "lkc-x1y2")
                .containsEntry("extension_identityPoolId", "pool-Ab1");
    }

    @Test
    void theClassNamesTheProfileWritesAreKafkasOwn() throws Exception {
        assertThat(LoginModule.class)
                .isAssignableFrom(Class.forName(KafkaSecurity.OAUTHBEARER_LOGIN_MODULE));
        assertThat(AuthenticateCallbackHandler.class)
                .isAssignableFrom(Class.forName(KafkaSecurity.OAUTHBEARER_LOGIN_CALLBACK_HANDLER));
    }

    @Test
    void anExtensionValueIsResolvedWholeAndEscaped() {
        ConnectionProfile profile = oauth("auth.oauth.extensions", "identityPoolId={{AWKWARD}}");

        String jaas = profile.kafkaProperties(ENV::get).get("sasl.jaas.config");

        Map<String, Object> options =
                (Map<String, Object>)
                        JaasContext.loadClientContext(
                                        Map.of("sasl.jaas.config", new Password(jaas)))
                                .configurationEntries()
                                .get(0)
                                .getOptions();
        assertThat(options).containsEntry("extension_identityPoolId", "a,b=c\"d").hasSize(1);
    }

    @Test
    void oauthNeedsTheTokenEndpointAndClientCredentials() {
        assertThatThrownBy(
                        () ->
                                profile(
                                        "bootstrap.servers", "b:9092",
                                        "auth.type", "sasl",
                                        "auth.mechanism", "OAUTHBEARER",
                                        "auth.oauth.client-id", "{{CLIENT_ID}}"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("'auth.mechanism' = 'OAUTHBEARER' needs")
                .hasMessageContaining("auth.oauth.token-endpoint")
                .hasMessageContaining("auth.oauth.client-secret");
    }

    @Test
    void oauthFieldsWithoutTheOAuthMechanismAreRefused() {
        assertThatThrownBy(
                        () ->
                                profile(
                                        "bootstrap.servers", "b:9092",
                                        "key", "{{K}}",
                                        "secret", "{{S}}",
                                        "auth.oauth.scope", "kafka"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("auth.oauth.scope");
        assertThatThrownBy(
                        () ->
                                profile(
                                        "bootstrap.servers", "b:9092",
                                        "auth.type", "sasl",
                                        "auth.username", "u",
                                        "auth.password", "p",
                                        "auth.oauth.extensions", "logicalCluster=lkc-1"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining(
                        "'auth.oauth.extensions' is set but 'auth.mechanism' is not"
                                + " 'OAUTHBEARER'");
    }

    @Test
    void aUserNameWithOAuthIsRefused() {
        assertThatThrownBy(() -> oauth("auth.username", "u"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining(
                        "'auth.username' is set but 'auth.mechanism' is 'OAUTHBEARER'");
    }

    @Test
    void extensionNamesAreCheckedWhenTheProfileIsBuilt() {
        assertThatThrownBy(() -> oauth("auth.oauth.extensions", "logical-cluster=lkc-1"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("names of letters only")
                .hasMessageContaining("'logical-cluster'");
        assertThatThrownBy(() -> oauth("auth.oauth.extensions", "auth=x"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("not 'auth'");
        assertThatThrownBy(() -> oauth("auth.oauth.extensions", "a=1,a=2"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("'a' more than once");
    }

    @Test
    void aTokenEndpointThatIsNoUrlIsRefused() {
        assertThatThrownBy(
                        () ->
                                profile(
                                        "bootstrap.servers", "b:9092",
                                        "auth.type", "sasl",
                                        "auth.mechanism", "OAUTHBEARER",
                                        "auth.oauth.token-endpoint", "idp.example/token",
                                        "auth.oauth.client-id", "i",
                                        "auth.oauth.client-secret", "s"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("'auth.oauth.token-endpoint' is 'idp.example/token'");
    }

    @Test
    void aClientKeyStoreBecomesKafkaKeyStoreSettings() {
        ConnectionProfile profile =
                profile(
                        "bootstrap.servers", "b:9093",
                        "auth.protocol", "SSL",
                        "ssl.truststore.location", "/etc/ca.pem",
                        "ssl.truststore.type", "PEM",
                        "ssl.keystore.location", "/etc/client.p12",
                        "ssl.keystore.password", "{{KS_PW}}",
                        "ssl.keystore.type", "pkcs12",
                        "ssl.key.password", "{{KEY_PW}}");

        assertThat(profile.kafkaProperties(ENV::get))
                .containsEntry("security.protocol", "SSL")
                .containsEntry("ssl.keystore.location", "/etc/client.p12")
                .containsEntry("ssl.keystore.password", "ks-pw")
                .containsEntry("ssl.keystore.type", "PKCS12")
                .containsEntry("ssl.key.password", "key-pw");
        assertThat(profile.describe())
                .contains("SSL with client certificate")
                .doesNotContain("ks-pw")
                .doesNotContain("KS_PW");
    }

    @Test
    void aKeyStoreNeedsTlsAndItsLocation() {
        assertThatThrownBy(
                        () ->
                                profile(
                                        "bootstrap.servers", "b:9092",
                                        "ssl.keystore.location", "/etc/client.p12"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining(
                        "'ssl.keystore.location' is set but the connection uses PLAINTEXT")
                .hasMessageContaining("set 'auth.protocol' to SSL");
        assertThatThrownBy(
                        () ->
                                profile(
                                        "bootstrap.servers", "b:9092",
                                        "auth.protocol", "SSL",
                                        "ssl.keystore.password", "{{KS_PW}}"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining(
                        "'ssl.keystore.password' is set but 'ssl.keystore.location' is not");
        assertThatThrownBy(
                        () ->
                                profile(
                                        "bootstrap.servers", "b:9092",
                                        "auth.protocol", "SSL",
                                        "ssl.keystore.location", "/k",
                                        "ssl.keystore.type", "BKS"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("'ssl.keystore.type' is 'BKS'");
    }

    @Test
    void aStaticRegistryTokenStaysATemplateWithConfluentCloudRouting() {
        SchemaRegistryConfig registry =
                profile(
                                "bootstrap.servers", "b:9092",
                                "schema-registry.endpoint", "https://psrc-1.confluent.cloud",
                                "schema-registry.bearer.token", "{{SR_TOKEN}}",
                                "schema-registry.bearer.logical-cluster", "lsrc-abc",
                                "schema-registry.bearer.identity-pool-id", "pool-Ab1")
                        .schemaRegistry()
                        .orElseThrow();

        assertThat(registry.authType()).isEqualTo(SchemaRegistryConfig.AuthType.BEARER);
        assertThat(registry.bearerToken()).isEqualTo("{{SR_TOKEN}}");
        assertThat(registry.oauth()).isNull();
        assertThat(registry.bearerLogicalCluster()).isEqualTo("lsrc-abc");
        assertThat(registry.bearerIdentityPoolId()).isEqualTo("pool-Ab1");
    }

    @Test
    void theRegistryReusesTheKafkaOAuthClientWhenAskedForBearer() {
        ConnectionProfile profile =
                oauth(
                        "auth.oauth.scope", "kafka",
                        "schema-registry.endpoint", "https://psrc-1.confluent.cloud",
                        "schema-registry.auth", "bearer");

        SchemaRegistryConfig registry = profile.schemaRegistry().orElseThrow();

        assertThat(registry.authType()).isEqualTo(SchemaRegistryConfig.AuthType.BEARER);
        assertThat(registry.oauth())
                .isEqualTo(
                        new SchemaRegistryConfig.OAuthClientCredentials(
                                "https://idp.example/oauth2/token",
                                "{{CLIENT_ID}}",
                                "{{CLIENT_SECRET}}",
                                "kafka",
                                "auth.oauth"));
        assertThat(profile.describe()).contains("(OAuth bearer)");
        assertThat(registry.toString()).doesNotContain("CLIENT_SECRET").doesNotContain("CLIENT_ID");
    }

    @Test
    void theRegistryMayHaveOAuthCredentialsOfItsOwn() {
        SchemaRegistryConfig registry =
                profile(
                                "bootstrap.servers", "b:9092",
                                "key", "{{K}}",
                                "secret", "{{S}}",
                                "schema-registry.endpoint", "https://psrc-1.confluent.cloud",
                                "schema-registry.oauth.token-endpoint", "https://idp/token",
                                "schema-registry.oauth.client-id", "{{SR_ID}}",
                                "schema-registry.oauth.client-secret", "{{SR_SECRET}}")
                        .schemaRegistry()
                        .orElseThrow();

        assertThat(registry.oauth().tokenEndpoint()).isEqualTo("https://idp/token");
        assertThat(registry.oauth().clientId()).isEqualTo("{{SR_ID}}");
        assertThat(registry.oauth().clientSecret()).isEqualTo("{{SR_SECRET}}");
        assertThat(registry.oauth().fieldPrefix()).isEqualTo("schema-registry.oauth");
    }

    @Test
    void bearerWithoutAnyTokenSourceIsRefused() {
        assertThatThrownBy(
                        () ->
                                profile(
                                        "bootstrap.servers", "b:9092",
                                        "schema-registry.endpoint", "https://sr",
                                        "schema-registry.auth", "bearer"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("'schema-registry.auth' = 'bearer' needs a token");
    }

    @Test
    void conflictingRegistryCredentialsAreRefused() {
        assertThatThrownBy(
                        () ->
                                profile(
                                        "bootstrap.servers", "b:9092",
                                        "schema-registry.endpoint", "https://sr",
                                        "schema-registry.api-key", "{{K}}",
                                        "schema-registry.api-secret", "{{S}}",
                                        "schema-registry.bearer.token", "{{T}}"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("[schema-registry.bearer.token]")
                .hasMessageContaining("use either basic or bearer credentials");
        assertThatThrownBy(
                        () ->
                                profile(
                                        "bootstrap.servers", "b:9092",
                                        "schema-registry.endpoint", "https://sr",
                                        "schema-registry.bearer.token", "{{T}}",
                                        "schema-registry.oauth.client-id", "{{I}}"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("either a static token or OAuth client credentials");
        assertThatThrownBy(
                        () ->
                                profile(
                                        "bootstrap.servers", "b:9092",
                                        "schema-registry.endpoint", "https://sr",
                                        "schema-registry.oauth.client-id", "{{I}}"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("schema-registry.oauth.token-endpoint")
                .hasMessageContaining("schema-registry.oauth.client-secret")
                .hasMessageContaining("missing");
        assertThatThrownBy(
                        () ->
                                profile(
                                        "bootstrap.servers", "b:9092",
                                        "schema-registry.endpoint", "https://sr",
                                        "schema-registry.auth", "none",
                                        "schema-registry.bearer.identity-pool-id", "pool-1"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("only apply to bearer authentication");
        assertThatThrownBy(
                        () ->
                                profile(
                                        "bootstrap.servers", "b:9092",
                                        "schema-registry.endpoint", "https://sr",
                                        "schema-registry.auth", "digest"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("'schema-registry.auth' is 'digest'");
    }

    @Test
    void aRegistryKeyStoreGoesIntoTheRegistryConfig() {
        SchemaRegistryConfig registry =
                profile(
                                "bootstrap.servers", "b:9092",
                                "schema-registry.endpoint", "https://sr:8081",
                                "schema-registry.ssl.keystore.location", "/etc/sr-client.p12",
                                "schema-registry.ssl.keystore.password", "{{KS_PW}}")
                        .schemaRegistry()
                        .orElseThrow();

        assertThat(registry.keystoreLocation()).isEqualTo("/etc/sr-client.p12");
        assertThat(registry.keystorePassword()).isEqualTo("{{KS_PW}}");
        assertThat(registry.keystoreType()).isEqualTo("PKCS12");
        assertThatThrownBy(
                        () ->
                                profile(
                                        "bootstrap.servers", "b:9092",
                                        "schema-registry.endpoint", "https://sr:8081",
                                        "schema-registry.ssl.keystore.location", "/k.pem",
                                        "schema-registry.ssl.keystore.type", "PEM"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("'schema-registry.ssl.keystore.type' is 'PEM'");
    }

    /** A serializer class for the producer config check; never called. */
    public static final class ByteArrays
            extends org.apache.kafka.common.serialization.ByteArraySerializer {}
}
