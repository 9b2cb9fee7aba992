package io.github.flinkconfluent.connector.serde;

import io.github.flinkconfluent.connector.format.RecordLimits;
import io.github.flinkconfluent.connector.format.json.JsonRegistryDeserializer;
import io.github.flinkconfluent.connector.format.wire.ConfluentWireFormat;
import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.profile.ConnectionProfile;
import io.github.flinkconfluent.connector.registry.RegistryClientFactory;
import io.github.flinkconfluent.connector.registry.SchemaRegistryClient;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.DeserializationFeature;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import javax.annotation.Nullable;

/**
 * Reads Confluent-framed JSON Schema values as Jackson trees ({@link JsonNode} of Flink's shaded
 * Jackson) or as instances of a class (a POJO or record, bound by Jackson).
 *
 * <p>Each value is checked against the JSON Schema its id names (fetched once per id) unless {@link
 * #withoutValidation()}; a value that violates it, is not JSON, or does not bind to the class is a
 * {@link WireFormatException}, which the source's bad-data policy governs. Properties the class
 * does not have are ignored, so producers may add fields.
 *
 * <pre>{@code
 * ConfluentJsonDeserializer.forClass(OrderEvent.class, profile)
 * }</pre>
 */
@PublicEvolving
public final class ConfluentJsonDeserializer<T> extends RegistryRecordDeserializer<T> {

    private static final long serialVersionUID = 1L;

    @Nullable private final Class<T> type;
    private final boolean validate;

    private transient JsonRegistryDeserializer delegate;
    private transient ObjectMapper mapper;

    private ConfluentJsonDeserializer(
            RegistryClientFactory registry, @Nullable Class<T> type, boolean validate) {
        super(registry);
        this.type = type;
        this.validate = validate;
    }

    /** Values as Jackson trees. */
    public static ConfluentJsonDeserializer<JsonNode> forJsonNode(ConnectionProfile profile) {
        return forJsonNode(RegistryProfiles.registryOf(profile, "Reading JSON Schema values"));
    }

    /** As {@link #forJsonNode(ConnectionProfile)}, with a registry client factory. */
    public static ConfluentJsonDeserializer<JsonNode> forJsonNode(RegistryClientFactory registry) {
        return new ConfluentJsonDeserializer<>(registry, null, true);
    }

    /** Values bound to {@code type} by Jackson (property names as the class's fields). */
    public static <T> ConfluentJsonDeserializer<T> forClass(
            Class<T> type, ConnectionProfile profile) {
        return forClass(type, RegistryProfiles.registryOf(profile, "Reading " + type.getName()));
    }

    /** As {@link #forClass(Class, ConnectionProfile)}, with a registry client factory. */
    public static <T> ConfluentJsonDeserializer<T> forClass(
            Class<T> type, RegistryClientFactory registry) {
        return new ConfluentJsonDeserializer<>(registry, type, true);
    }

    /** This deserializer without checking values against their JSON Schema. */
    public ConfluentJsonDeserializer<T> withoutValidation() {
        return new ConfluentJsonDeserializer<>(registryFactory(), type, false);
    }

    @Override
    protected void open(SchemaRegistryClient registry) {
        delegate =
                new JsonRegistryDeserializer(
                        registry, validate, RecordLimits.DEFAULT_JSON_VALIDATE_MAX_STEPS);
        mapper =
                new ObjectMapper()
                        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    @Override
    @SuppressWarnings("unchecked")
    public T decode(byte[] message) throws WireFormatException {
        JsonNode tree = delegate.deserialize(message);
        if (type == null) {
            return (T) tree;
        }
        try {
            return mapper.treeToValue(tree, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new WireFormatException(
                    WireFormatException.Reason.SCHEMA_VIOLATION,
                    ConfluentWireFormat.readSchemaId(message),
                    "the value does not bind to " + type.getName() + ": " + e.getMessage(),
                    e);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public TypeInformation<T> getProducedType() {
        return type == null
                ? (TypeInformation<T>) (TypeInformation<?>) JsonNodeTypeInfo.INSTANCE
                : TypeInformation.of(type);
    }
}
