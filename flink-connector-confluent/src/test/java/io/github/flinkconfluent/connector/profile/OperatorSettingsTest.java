package io.github.flinkconfluent.connector.profile;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.TableConfig;
import org.apache.flink.table.api.ValidationException;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The operator's settings against a SQL session's: which variables templates written in SQL may
 * name ({@code confluent.secrets.allowed-env}), and that a session cannot change a profile the
 * operator defined. The planner's {@link TableConfig} keeps the cluster configuration as its root
 * and a session's {@code SET} in a layer on top, as built here.
 */
class OperatorSettingsTest {

    private static final Function<String, String> NO_SYSTEM_PROPERTIES = k -> null;

    /** A planner-style configuration: {@code operator} as root, {@code session} SET on top. */
    private static TableConfig sqlConfig(
            Map<String, String> operator, Map<String, String> session) {
        TableConfig config = TableConfig.getDefault();
        config.setRootConfiguration(Configuration.fromMap(operator));
        config.addConfiguration(Configuration.fromMap(operator)); // a gateway session copies it
        session.forEach(config::set);
        return config;
    }

    private static ConnectionProfile resolveSql(
            String profile, ReadableConfig config, Map<String, String> tableOptions) {
        return ConnectionProfiles.resolveForSql(profile, config, tableOptions);
    }

    private static Map<String, String> inline(String... keyValues) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("bootstrap.servers", "b:9092");
        for (int i = 0; i < keyValues.length; i += 2) {
            options.put(keyValues[i], keyValues[i + 1]);
        }
        return options;
    }

    @Test
    void withoutTheSettingTemplatesMayNameAnyVariable() {
        ConnectionProfile profile =
                resolveSql(
                        null,
                        sqlConfig(Map.of(), Map.of()),
                        inline("secret", "{{ANY_X}}", "key", "k"));

        assertThat(profile.name()).isEqualTo("inline");
    }

    @Test
    void tableOptionsMayNameOnlyAllowedVariables() {
        TableConfig config =
                sqlConfig(
                        Map.of("confluent.secrets.allowed-env", "TEAM_A_*, SHARED_KEY"), Map.of());

        resolveSql(null, config, inline("key", "{{SHARED_KEY}}", "secret", "{{TEAM_A_SECRET}}"));
        assertThatThrownBy(
                        () ->
                                resolveSql(
                                        null,
                                        config,
                                        inline("key", "k", "secret", "{{AWS_SECRET_ACCESS_KEY}}")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("{{AWS_SECRET_ACCESS_KEY}}")
                .hasMessageContaining("'secret'")
                .hasMessageContaining("[TEAM_A_*, SHARED_KEY]")
                .hasMessageContaining("confluent.secrets.allowed-env");
    }

    @Test
    void aSessionSetOfTheSettingIsIgnored() {
        TableConfig config =
                sqlConfig(
                        Map.of("confluent.secrets.allowed-env", "TEAM_A_*"),
                        Map.of("confluent.secrets.allowed-env", "*"));

        assertThat(config.get(OperatorSettings.ALLOWED_ENV)).isEqualTo("*"); // what SET sees
        assertThatThrownBy(
                        () ->
                                resolveSql(
                                        null,
                                        config,
                                        inline("properties.client.id", "{{AWS_SECRET}}")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("'properties.client.id'")
                .hasMessageContaining("[TEAM_A_*]");
    }

    @Test
    void anEmptyOperatorValueAllowsNoVariableWhateverTheSessionSets() {
        TableConfig config =
                sqlConfig(
                        Map.of("confluent.secrets.allowed-env", ""),
                        Map.of("confluent.secrets.allowed-env", "X"));

        assertThatThrownBy(() -> resolveSql(null, config, inline("bootstrap.servers", "{{X}}")))
                .hasMessageContaining("The operator allows no variables");
    }

    @Test
    void aJvmSystemPropertyWinsOverTheClusterConfiguration() {
        TableConfig config = sqlConfig(Map.of("confluent.secrets.allowed-env", "*"), Map.of());
        OperatorSettings settings =
                OperatorSettings.sql(
                        config, Map::of, Map.of("confluent.secrets.allowed-env", "SR_*")::get);

        assertThatThrownBy(
                        () ->
                                settings.checkTemplates(
                                        "ctx", Map.of("secret", "{{KAFKA_SECRET}}"), k -> k))
                .hasMessageContaining("[SR_*]");
        settings.checkTemplates("ctx", Map.of("secret", "{{SR_SECRET}}"), k -> k);
    }

    @Test
    void profilesTheOperatorDefinedMayNameAnyVariable() {
        Map<String, String> operator = new LinkedHashMap<>();
        operator.put("confluent.secrets.allowed-env", "TEAM_A_*");
        operator.put("confluent.profiles.prod.bootstrap.servers", "prod:9092");
        operator.put("confluent.profiles.prod.key", "{{PROD_KEY}}");
        operator.put("confluent.profiles.prod.secret", "{{PROD_SECRET}}");

        ConnectionProfile profile = resolveSql("prod", sqlConfig(operator, Map.of()), Map.of());

        assertThat(profile.origin().kind()).isEqualTo(ProfileOrigin.Kind.FLINK_CONFIG);
    }

    @Test
    void profilesASessionDefinedMayNameOnlyAllowedVariables() {
        Map<String, String> session = new LinkedHashMap<>();
        session.put("confluent.profiles.mine.bootstrap.servers", "b:9092");
        session.put("confluent.profiles.mine.key", "{{TEAM_A_KEY}}");
        session.put("confluent.profiles.mine.secret", "{{PROD_SECRET}}");

        assertThatThrownBy(
                        () ->
                                resolveSql(
                                        "mine",
                                        sqlConfig(
                                                Map.of("confluent.secrets.allowed-env", "TEAM_A_*"),
                                                session),
                                        Map.of()))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("Connection profile 'mine'")
                .hasMessageContaining("'confluent.profiles.mine.secret'")
                .hasMessageContaining("{{PROD_SECRET}}");
    }

    @Test
    void tablePropertiesOnAnOperatorProfileMayNameOnlyAllowedVariables() {
        Map<String, String> operator = new LinkedHashMap<>();
        operator.put("confluent.secrets.allowed-env", "TEAM_A_*");
        operator.put("confluent.profiles.prod.bootstrap.servers", "prod:9092");

        assertThatThrownBy(
                        () ->
                                resolveSql(
                                        "prod",
                                        sqlConfig(operator, Map.of()),
                                        Map.of("properties.client.id", "{{PROD_SECRET}}")))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("'properties.client.id'")
                .hasMessageContaining("{{PROD_SECRET}}");
    }

    @Test
    void aSessionCannotChangeAProfileTheOperatorDefined() {
        Map<String, String> operator = new LinkedHashMap<>();
        operator.put("confluent.profiles.prod.bootstrap.servers", "prod:9092");
        operator.put("confluent.profiles.prod.key", "{{PROD_KEY}}");
        operator.put("confluent.profiles.prod.secret", "{{PROD_SECRET}}");
        Map<String, String> session = new LinkedHashMap<>();
        session.put("confluent.profiles.prod.bootstrap.servers", "attacker.example:9092");
        session.put("confluent.profiles.prod.properties.client.id", "x");

        assertThatThrownBy(() -> resolveSql("prod", sqlConfig(operator, session), Map.of()))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("Connection profile 'prod' is defined in the cluster")
                .hasMessageContaining("confluent.profiles.prod.bootstrap.servers")
                .hasMessageContaining("confluent.profiles.prod.properties.client.id")
                .hasMessageNotContaining("attacker.example");
    }

    @Test
    void aSessionSettingAnOperatorProfileToTheSameValuesChangesNothing() {
        Map<String, String> operator = Map.of("confluent.profiles.prod.bootstrap.servers", "p:1");

        assertThat(resolveSql("prod", sqlConfig(operator, operator), Map.of()).bootstrapServers())
                .isEqualTo("p:1");
    }

    @Test
    void withoutATableConfigTheClusterConfigurationFileIsTheOperators() {
        // A catalog created on the SQL Gateway gets the session's merged configuration.
        Configuration merged = new Configuration();
        merged.setString("confluent.profiles.prod.bootstrap.servers", "attacker.example:9092");
        merged.setString("confluent.secrets.allowed-env", "*");
        OperatorSettings settings =
                OperatorSettings.sql(
                        merged,
                        () ->
                                Map.of(
                                        "confluent.profiles.prod.bootstrap.servers", "prod:9092",
                                        "confluent.secrets.allowed-env", "TEAM_A_*"),
                        NO_SYSTEM_PROPERTIES);

        assertThat(settings.operatorOnly(OperatorSettings.ALLOWED_ENV)).contains("TEAM_A_*");
        assertThat(settings.configuredWithPrefix("confluent.profiles.prod."))
                .containsEntry("confluent.profiles.prod.bootstrap.servers", "prod:9092");
    }

    @Test
    void programsAreTheirOwnOperatorAndAreNotRestricted() {
        Configuration config = new Configuration();
        config.setString("confluent.secrets.allowed-env", "NOTHING_MATCHES");

        ConnectionProfile profile =
                ConnectionProfiles.resolve(null, config, inline("secret", "{{S}}", "key", "{{K}}"));

        assertThat(profile.name()).isEqualTo("inline");
    }
}
