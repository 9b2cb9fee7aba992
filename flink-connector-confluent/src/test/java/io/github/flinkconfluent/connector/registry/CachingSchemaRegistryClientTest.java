package io.github.flinkconfluent.connector.registry;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class CachingSchemaRegistryClientTest {

    @Test
    void schemasByIdAreFetchedOnce() {
        InMemorySchemaRegistry fake = new InMemorySchemaRegistry();
        int id = fake.register("s", SchemaDefinition.avro("\"string\""));
        CachingSchemaRegistryClient client =
                new CachingSchemaRegistryClient(fake, 10, Duration.ofMinutes(1));

        for (int i = 0; i < 5; i++) {
            assertThat(client.getById(id).text()).isEqualTo("\"string\"");
        }
        assertThat(fake.getByIdCalls).hasValue(1);
    }

    @Test
    void registeringTheSameSchemaTwiceCallsTheRegistryOnce() {
        InMemorySchemaRegistry fake = new InMemorySchemaRegistry();
        CachingSchemaRegistryClient client =
                new CachingSchemaRegistryClient(fake, 10, Duration.ofMinutes(1));

        int first = client.register("s", SchemaDefinition.avro("\"long\""));
        int second = client.register("s", SchemaDefinition.avro("\"long\""));

        assertThat(second).isEqualTo(first);
        assertThat(fake.registerCalls).hasValue(1);
        // The registered schema is known by id without asking.
        assertThat(client.getById(first).text()).isEqualTo("\"long\"");
        assertThat(fake.getByIdCalls).hasValue(0);
    }

    @Test
    void latestVersionExpiresAfterItsTtlAndOnRegister() {
        InMemorySchemaRegistry fake = new InMemorySchemaRegistry();
        fake.register("s", SchemaDefinition.avro("\"int\""));
        CachingSchemaRegistryClient client =
                new CachingSchemaRegistryClient(fake, 10, Duration.ofMinutes(1));

        client.getLatest("s");
        client.getLatest("s");
        assertThat(fake.getLatestCalls).hasValue(1);

        client.register("s", SchemaDefinition.avro("\"long\""));
        assertThat(client.getLatest("s").definition().text()).isEqualTo("\"long\"");
        assertThat(fake.getLatestCalls).hasValue(2);
    }

    @Test
    void boundedCacheEvictsLeastRecentlyUsedAndExpiresByTtl() {
        AtomicLong now = new AtomicLong();
        BoundedCache<String, Integer> cache =
                new BoundedCache<>(2, Duration.ofNanos(100), now::get);
        cache.put("a", 1);
        cache.put("b", 2);
        cache.getIfPresent("a");
        cache.put("c", 3);
        assertThat(cache.getIfPresent("b")).isNull();
        assertThat(cache.getIfPresent("a")).isEqualTo(1);
        now.addAndGet(101);
        assertThat(cache.getIfPresent("a")).isNull();
        assertThat(cache.size()).isEqualTo(1);
    }
}
