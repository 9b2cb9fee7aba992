package io.github.flinkconfluent.connector.profile;

import io.github.flinkconfluent.testing.ConfluentServicesExtension;
import io.github.flinkconfluent.testing.KafkaBroker;
import io.github.flinkconfluent.testing.TestNames;

import org.apache.flink.configuration.Configuration;

import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A profile's Kafka properties open a working connection to a real broker. */
@ExtendWith(ConfluentServicesExtension.class)
class ConnectionProfileITCase {

    @Test
    void plaintextProfileListsTopicsOnTheBroker(KafkaBroker kafka, TestNames names)
            throws Exception {
        String topic = names.topic("profile");
        kafka.createTopic(topic, 1);
        Configuration config = new Configuration();
        config.setString("confluent.profiles.local.bootstrap.servers", kafka.bootstrapServers());
        config.setString("confluent.profiles.local.properties.client.id", "profile-it");

        ConnectionProfile profile = ConnectionProfiles.resolve("local", config, Map.of());
        Map<String, Object> clientConfig = new HashMap<>(profile.kafkaProperties());

        try (Admin admin = Admin.create(clientConfig)) {
            Set<String> topics = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            assertThat(topics).contains(topic);
        }
    }
}
