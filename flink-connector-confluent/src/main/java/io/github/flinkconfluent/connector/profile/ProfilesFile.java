package io.github.flinkconfluent.connector.profile;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads the profiles file named by {@code confluent.profiles-file}.
 *
 * <p>The format is a YAML document with one top-level key, {@code profiles}, mapping each profile
 * name to its fields. Field names are the same as in Flink configuration; nested mappings are
 * joined with dots, so {@code schema-registry: {endpoint: …}} and {@code schema-registry.endpoint:
 * …} mean the same, and a list of scalars becomes a comma-separated value (handy for {@code
 * bootstrap.servers}).
 *
 * <p>The file is parsed with snakeyaml-engine, which Flink itself uses for {@code config.yaml}, so
 * the connector adds no YAML library. Parse errors report the line and column but never quote the
 * file's text, which may hold credentials.
 */
@Internal
final class ProfilesFile {

    static final String ROOT_KEY = "profiles";

    private ProfilesFile() {}

    /**
     * Loads every profile in {@code file}: profile name to its settings, as written.
     *
     * @throws ValidationException if the file is missing, unreadable or malformed
     */
    static Map<String, Map<String, String>> load(Path file) {
        Object document;
        LoadSettings settings =
                LoadSettings.builder()
                        .setLabel(file.toString())
                        .setAllowDuplicateKeys(false)
                        .build();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            document = new Load(settings).loadFromReader(reader);
        } catch (NoSuchFileException e) {
            throw error(file, "does not exist");
        } catch (IOException e) {
            throw error(file, "cannot be read: " + e);
        } catch (MarkedYamlEngineException e) {
            String where =
                    e.getProblemMark()
                            .map(
                                    m ->
                                            " at line "
                                                    + (m.getLine() + 1)
                                                    + ", column "
                                                    + (m.getColumn() + 1))
                            .orElse("");
            throw error(file, "is not valid YAML" + where + ": " + e.getProblem());
        } catch (YamlEngineException e) {
            throw error(file, "is not valid YAML");
        }
        if (document == null) {
            return Collections.emptyMap();
        }
        if (!(document instanceof Map<?, ?> root)) {
            throw error(file, "must be a mapping with the key '" + ROOT_KEY + "'");
        }
        for (Object key : root.keySet()) {
            if (!ROOT_KEY.equals(String.valueOf(key))) {
                throw error(
                        file,
                        "has the unknown top-level key '"
                                + key
                                + "'; the only valid key is '"
                                + ROOT_KEY
                                + "'");
            }
        }
        Object profiles = root.get(ROOT_KEY);
        if (profiles == null) {
            return Collections.emptyMap();
        }
        if (!(profiles instanceof Map<?, ?> byName)) {
            throw error(file, "'" + ROOT_KEY + "' must map profile names to their fields");
        }
        Map<String, Map<String, String>> result = new LinkedHashMap<>();
        for (Map.Entry<?, ?> profile : byName.entrySet()) {
            String name = String.valueOf(profile.getKey());
            if (!(profile.getValue() instanceof Map<?, ?> fields)) {
                throw error(file, "profile '" + name + "' must be a mapping of fields");
            }
            Map<String, String> flat = new LinkedHashMap<>();
            flatten(file, name, "", fields, flat);
            result.put(name, flat);
        }
        return result;
    }

    private static void flatten(
            Path file, String profile, String prefix, Map<?, ?> node, Map<String, String> out) {
        for (Map.Entry<?, ?> e : node.entrySet()) {
            String key = prefix + e.getKey();
            String setting = "profiles." + profile + "." + key;
            Object value = e.getValue();
            String flat;
            if (value instanceof Map<?, ?> child) {
                flatten(file, profile, key + ".", child, out);
                continue;
            } else if (value instanceof List<?> list) {
                if (list.stream()
                        .anyMatch(v -> v instanceof Map || v instanceof List || v == null)) {
                    throw error(file, setting + " must be a value or a list of values");
                }
                flat = list.stream().map(String::valueOf).collect(Collectors.joining(","));
            } else if (value == null) {
                throw error(file, setting + " has no value");
            } else {
                flat = String.valueOf(value);
            }
            if (out.put(key, flat) != null) {
                throw error(file, setting + " is given twice (once nested, once with dots)");
            }
        }
    }

    private static ValidationException error(Path file, String message) {
        return new ValidationException(
                "Profiles file '"
                        + file
                        + "' ("
                        + ConnectionProfiles.PROFILES_FILE.key()
                        + ") "
                        + message);
    }
}
