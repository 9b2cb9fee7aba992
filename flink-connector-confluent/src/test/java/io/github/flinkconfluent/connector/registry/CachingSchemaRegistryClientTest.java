package io.github.flinkconfluent.connector.registry;

import io.github.flinkconfluent.testing.Poll;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CachingSchemaRegistryClientTest {

    @Test
    void schemasByIdAreFetchedOnce() {
        InMemorySchemaRegistry fake = new InMemorySchemaRegistry();
        int id = fake.register("s", SchemaDefinition.avro("\"string\""));
        CachingSchemaRegistryClient client =
                new CachingSchemaRegistryClient(
                        fake, 10, Duration.ofMinutes(1), Duration.ofMinutes(1));

        for (int i = 0; i < 5; i++) {
            assertThat(client.getById(id).text()).isEqualTo("\"string\"");
        }
        assertThat(fake.getByIdCalls).hasValue(1);
    }

    @Test
    void registeringTheSameSchemaTwiceCallsTheRegistryOnce() {
        InMemorySchemaRegistry fake = new InMemorySchemaRegistry();
        CachingSchemaRegistryClient client =
                new CachingSchemaRegistryClient(
                        fake, 10, Duration.ofMinutes(1), Duration.ofMinutes(1));

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
                new CachingSchemaRegistryClient(
                        fake, 10, Duration.ofMinutes(1), Duration.ofMinutes(1));

        client.getLatest("s");
        client.getLatest("s");
        assertThat(fake.getLatestCalls).hasValue(1);

        client.register("s", SchemaDefinition.avro("\"long\""));
        assertThat(client.getLatest("s").definition().text()).isEqualTo("\"long\"");
        assertThat(fake.getLatestCalls).hasValue(2);
    }

    @Test
    void anUnknownIdCostsOneRequestUntilTheMissIsForgotten() {
        AtomicLong now = new AtomicLong();
        try (FakeRegistryServer server =
                new FakeRegistryServer(
                        FakeRegistryServer.Answer.json(
                                404, "{\"error_code\":40403,\"message\":\"Schema not found\"}"))) {
            CachingSchemaRegistryClient client =
                    new CachingSchemaRegistryClient(
                            new RestSchemaRegistryClient(
                                    SchemaRegistryConfig.builder(server.url()).build()),
                            10,
                            Duration.ofMinutes(1),
                            Duration.ofSeconds(30),
                            now::get);

            for (int record = 0; record < 1000; record++) {
                assertThatThrownBy(() -> client.getById(424242))
                        .isInstanceOfSatisfying(
                                SchemaRegistryException.class,
                                e -> {
                                    assertThat(e.kind())
                                            .isEqualTo(
                                                    SchemaRegistryException.Kind.SCHEMA_NOT_FOUND);
                                    assertThat(e.getMessage()).contains("424242");
                                });
            }
            assertThat(server.requests()).hasSize(1);

            now.addAndGet(Duration.ofSeconds(31).toNanos());
            assertThatThrownBy(() -> client.getById(424242))
                    .isInstanceOf(SchemaRegistryException.class);
            assertThat(server.requests()).as("asked again once forgotten").hasSize(2);
        }
    }

    @Test
    void callersAskingForOneIdTogetherShareOneRequest() throws Exception {
        InMemorySchemaRegistry fake = new InMemorySchemaRegistry();
        CountDownLatch release = new CountDownLatch(1);
        fake.beforeGetById =
                () -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                };
        CachingSchemaRegistryClient client =
                new CachingSchemaRegistryClient(
                        fake, 10, Duration.ofMinutes(1), Duration.ofMinutes(1));
        ExecutorService tasks = Executors.newFixedThreadPool(4);
        try {
            List<Future<SchemaRegistryException.Kind>> answers = new ArrayList<>();
            List<Thread> threads = new CopyOnWriteArrayList<>();
            for (int task = 0; task < 4; task++) {
                answers.add(
                        tasks.submit(
                                () -> {
                                    threads.add(Thread.currentThread());
                                    try {
                                        client.getById(99);
                                        return null;
                                    } catch (SchemaRegistryException e) {
                                        return e.kind();
                                    }
                                }));
            }
            // All four wait: one inside the registry call, three for its answer.
            Poll.until(
                    "four callers waiting for schema id 99",
                    Duration.ofSeconds(30),
                    () ->
                            threads.size() == 4
                                    && threads.stream()
                                            .allMatch(t -> t.getState() == Thread.State.WAITING));
            release.countDown();
            for (Future<SchemaRegistryException.Kind> answer : answers) {
                assertThat(answer.get(30, TimeUnit.SECONDS))
                        .isEqualTo(SchemaRegistryException.Kind.SCHEMA_NOT_FOUND);
            }
            assertThat(fake.getByIdCalls).hasValue(1);
        } finally {
            tasks.shutdownNow();
        }
    }

    @Test
    void missesAreBoundedAndNeverEvictKnownSchemas() {
        InMemorySchemaRegistry fake = new InMemorySchemaRegistry();
        int known = fake.register("s", SchemaDefinition.avro("\"string\""));
        CachingSchemaRegistryClient client =
                new CachingSchemaRegistryClient(
                        fake, 3, Duration.ofMinutes(1), Duration.ofMinutes(1));
        client.getById(known);

        for (int id = 1000; id < 1100; id++) {
            int unknown = id;
            assertThatThrownBy(() -> client.getById(unknown))
                    .isInstanceOf(SchemaRegistryException.class);
        }
        assertThat(client.missesRemembered()).isEqualTo(3);
        int calls = fake.getByIdCalls.get();
        client.getById(known);
        assertThat(fake.getByIdCalls).as("a flood of unknown ids evicts no schema").hasValue(calls);
        assertThatThrownBy(() -> client.getById(1000)).isInstanceOf(SchemaRegistryException.class);
        assertThat(fake.getByIdCalls).as("the oldest miss was evicted").hasValue(calls + 1);
    }

    @Test
    void aMissingReferencedVersionIsRememberedToo() {
        InMemorySchemaRegistry fake = new InMemorySchemaRegistry();
        fake.register("money-value", SchemaDefinition.avro("\"string\""));
        CachingSchemaRegistryClient client =
                new CachingSchemaRegistryClient(
                        fake, 10, Duration.ofMinutes(1), Duration.ofMinutes(1));

        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> client.getVersion("money-value", 7))
                    .isInstanceOfSatisfying(
                            SchemaRegistryException.class,
                            e ->
                                    assertThat(e.kind())
                                            .isEqualTo(
                                                    SchemaRegistryException.Kind
                                                            .VERSION_NOT_FOUND));
        }
        assertThat(fake.getVersionCalls).hasValue(1);
    }

    @Test
    void anOutageIsRetriedAndFailsEveryTimeInsteadOfBeingRemembered() {
        try (FakeRegistryServer server =
                new FakeRegistryServer(FakeRegistryServer.Answer.json(503, ""))) {
            CachingSchemaRegistryClient client =
                    new CachingSchemaRegistryClient(
                            new RestSchemaRegistryClient(
                                    SchemaRegistryConfig.builder(server.url())
                                            .retries(3, Duration.ofMillis(1), Duration.ofMillis(2))
                                            .build()),
                            10,
                            Duration.ofMinutes(1),
                            Duration.ofMinutes(1));

            for (int attempt = 1; attempt <= 2; attempt++) {
                assertThatThrownBy(() -> client.getById(7))
                        .isInstanceOfSatisfying(
                                SchemaRegistryException.class,
                                e ->
                                        assertThat(e.kind())
                                                .isEqualTo(
                                                        SchemaRegistryException.Kind.UNAVAILABLE));
                assertThat(server.requests()).hasSize(3 * attempt);
            }
            assertThat(client.missesRemembered()).isZero();
        }
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
