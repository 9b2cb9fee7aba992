package io.github.flinkconfluent.connector.testing;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ArrayNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Confluent's own deserializers ({@code @confluentinc/schemaregistry} from npm, the version pinned
 * in {@code src/test/npm-interop/package-lock.json}) run by Node.js on records our sink wrote: the
 * reverse of the golden vectors, so that what we write is checked by an implementation that is not
 * ours. The package is installed once per build into {@code target/npm-interop} ({@code npm ci},
 * from the npm registry or the machine's npm cache).
 *
 * <p>Node.js 18 or later and npm are part of the build machine, like the JDK: the test fails with a
 * message saying so when they are missing, rather than passing without the check.
 */
public final class ConfluentNodeDeserializers {

    private static final Path SOURCE = Path.of("src", "test", "npm-interop");
    private static final Path WORK = Path.of("target", "npm-interop");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String registryUrl;
    private final ArrayNode records = JSON.createArrayNode();

    private ConfluentNodeDeserializers(String registryUrl) {
        this.registryUrl = registryUrl;
    }

    /** A batch of records whose writer schemas the deserializers fetch from this registry. */
    public static ConfluentNodeDeserializers against(String registryUrl) {
        return new ConfluentNodeDeserializers(registryUrl);
    }

    /** Adds a record value of {@code format} ({@code AVRO}, {@code JSON}) written to topic. */
    public ConfluentNodeDeserializers add(String format, String topic, byte[] value) {
        ObjectNode record = records.addObject();
        record.put("format", format);
        record.put("topic", topic);
        record.put("valueHex", hex(value));
        return this;
    }

    /**
     * Adds a Protobuf record value, with the base64 {@code FileDescriptorProto} of its writer
     * schema id (see the script's header for why the descriptor travels beside the record).
     */
    public ConfluentNodeDeserializers addProtobuf(
            String topic, byte[] value, int schemaId, String descriptorBase64) {
        ObjectNode record = records.addObject();
        record.put("format", "PROTOBUF");
        record.put("topic", topic);
        record.put("valueHex", hex(value));
        record.putObject("descriptors").put(String.valueOf(schemaId), descriptorBase64);
        return this;
    }

    /**
     * Runs Node.js on the batch: one element per record, {@code {"value": ...}} or {@code {"error":
     * ...}}.
     */
    public List<JsonNode> read() throws IOException, InterruptedException {
        Path script = install();
        Path inputFile = Files.createTempFile(WORK, "records-", ".json");
        ObjectNode input = JSON.createObjectNode();
        input.put("registryUrl", registryUrl);
        input.set("records", records);
        JSON.writeValue(inputFile.toFile(), input);
        Path output = Files.createTempFile(WORK, "read-", ".json");
        Path errors = Files.createTempFile(WORK, "read-", ".log");
        Process node =
                new ProcessBuilder(
                                "node",
                                script.getFileName().toString(),
                                inputFile.toAbsolutePath().toString())
                        .directory(WORK.toFile())
                        .redirectOutput(output.toFile())
                        .redirectError(errors.toFile())
                        .start();
        if (!node.waitFor(5, TimeUnit.MINUTES)) {
            node.destroyForcibly();
            throw new IllegalStateException("node did not finish reading; see " + errors);
        }
        if (node.exitValue() != 0) {
            throw new IllegalStateException(
                    "node failed (exit "
                            + node.exitValue()
                            + "): "
                            + Files.readString(errors, StandardCharsets.UTF_8));
        }
        List<JsonNode> results = new ArrayList<>();
        JSON.readTree(output.toFile()).forEach(results::add);
        return results;
    }

    /** Copies the script and lock file into target and runs {@code npm ci} the first time. */
    private static synchronized Path install() throws IOException, InterruptedException {
        Files.createDirectories(WORK);
        for (String name :
                new String[] {"package.json", "package-lock.json", "read-with-confluent.mjs"}) {
            Files.copy(
                    SOURCE.resolve(name), WORK.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        Path installed = WORK.resolve(Path.of("node_modules", "@confluentinc", "schemaregistry"));
        if (!Files.isDirectory(installed)) {
            Path log = WORK.resolve("npm-ci.log");
            Process npm;
            try {
                npm =
                        new ProcessBuilder(
                                        "npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts")
                                .directory(WORK.toFile())
                                .redirectErrorStream(true)
                                .redirectOutput(log.toFile())
                                .start();
            } catch (IOException e) {
                throw new IllegalStateException(
                        "This test needs Node.js 18+ and npm on the PATH (part of the build"
                                + " machine, see docs/development.md): "
                                + e.getMessage(),
                        e);
            }
            if (!npm.waitFor(10, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                npm.destroyForcibly();
                throw new IllegalStateException(
                        "npm ci in "
                                + WORK.toAbsolutePath()
                                + " failed (it needs the npm registry or a filled npm cache): "
                                + Files.readString(log, StandardCharsets.UTF_8));
            }
        }
        return WORK.resolve("read-with-confluent.mjs");
    }

    private static String hex(byte[] bytes) {
        StringBuilder out = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            out.append(Character.forDigit((b >> 4) & 0xF, 16))
                    .append(Character.forDigit(b & 0xF, 16));
        }
        return out.toString();
    }
}
