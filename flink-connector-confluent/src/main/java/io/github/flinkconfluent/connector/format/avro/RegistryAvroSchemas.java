package io.github.flinkconfluent.connector.format.avro;

import io.github.flinkconfluent.connector.registry.SchemaDefinition;
import io.github.flinkconfluent.connector.registry.SchemaReference;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;
import io.github.flinkconfluent.connector.registry.SchemaType;

import org.apache.flink.annotation.Internal;

import org.apache.avro.Schema;

import java.util.HashSet;
import java.util.Set;

/**
 * Turns registry schema definitions into Avro {@link Schema}s, including the named types they
 * import through schema references (parsed first into the same parser, depth first).
 */
@Internal
public final class RegistryAvroSchemas {

    private RegistryAvroSchemas() {}

    /** Parses {@code definition}, fetching and parsing its references through {@code client}. */
    public static Schema parse(SchemaDefinition definition, SchemaRegistryClient client) {
        if (definition.type() != SchemaType.AVRO) {
            throw new IllegalArgumentException(
                    "Expected an Avro schema but the registry holds a "
                            + definition.type()
                            + " schema");
        }
        Schema.Parser parser = new Schema.Parser();
        parseReferences(definition, client, parser, new HashSet<>());
        return parser.parse(definition.text());
    }

    private static void parseReferences(
            SchemaDefinition definition,
            SchemaRegistryClient client,
            Schema.Parser parser,
            Set<String> seen) {
        for (SchemaReference reference : definition.references()) {
            if (!seen.add(reference.subject() + "/" + reference.version())) {
                continue;
            }
            SchemaDefinition referenced = reference.readFrom(client);
            parseReferences(referenced, client, parser, seen);
            parser.parse(referenced.text());
        }
    }
}
