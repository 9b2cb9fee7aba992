package io.github.flinkconfluent.connector.testing;

import io.github.flinkconfluent.testing.KafkaBroker;

import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;

/**
 * The table environment of the table ITs: the connection profile {@code local} on the test broker
 * and registry, a fixed default parallelism and, where the test writes exactly once or reads while
 * writing, checkpoints (one copy instead of one per test class).
 */
public final class LocalTables {

    private LocalTables() {}

    /**
     * @param registryUrl the registry of profile {@code local}
     * @param checkpointInterval e.g. {@code "500 ms"}, or null for no checkpoints
     */
    public static TableEnvironment tableEnv(
            KafkaBroker kafka,
            String registryUrl,
            EnvironmentSettings settings,
            int parallelism,
            String checkpointInterval) {
        TableEnvironment env = TableEnvironment.create(settings);
        env.getConfig().set("confluent.profiles.local.bootstrap.servers", kafka.bootstrapServers());
        env.getConfig().set("confluent.profiles.local.schema-registry.endpoint", registryUrl);
        if (checkpointInterval != null) {
            env.getConfig().set("execution.checkpointing.interval", checkpointInterval);
        }
        env.getConfig().set("table.exec.resource.default-parallelism", String.valueOf(parallelism));
        return env;
    }
}
