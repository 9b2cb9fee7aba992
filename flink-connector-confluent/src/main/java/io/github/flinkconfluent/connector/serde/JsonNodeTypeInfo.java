package io.github.flinkconfluent.connector.serde;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;

/**
 * Flink type information for Jackson trees ({@link JsonNode} of Flink's shaded Jackson): each tree
 * is serialized as its JSON text, instead of by Kryo field by field.
 */
@PublicEvolving
public final class JsonNodeTypeInfo extends TypeInformation<JsonNode> {

    private static final long serialVersionUID = 1L;

    public static final JsonNodeTypeInfo INSTANCE = new JsonNodeTypeInfo();

    private JsonNodeTypeInfo() {}

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<JsonNode> getTypeClass() {
        return JsonNode.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<JsonNode> createSerializer(SerializerConfig config) {
        return Serializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "JsonNode";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JsonNodeTypeInfo;
    }

    @Override
    public int hashCode() {
        return JsonNodeTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof JsonNodeTypeInfo;
    }

    /** A tree as its UTF-8 JSON text, length-prefixed. */
    public static final class Serializer extends TypeSerializerSingleton<JsonNode> {

        private static final long serialVersionUID = 1L;
        private static final ObjectMapper MAPPER = new ObjectMapper();

        public static final Serializer INSTANCE = new Serializer();

        @Override
        public boolean isImmutableType() {
            return false;
        }

        @Override
        public JsonNode createInstance() {
            return MAPPER.nullNode();
        }

        @Override
        public JsonNode copy(JsonNode from) {
            return from.deepCopy();
        }

        @Override
        public JsonNode copy(JsonNode from, JsonNode reuse) {
            return from.deepCopy();
        }

        @Override
        public int getLength() {
            return -1;
        }

        @Override
        public void serialize(JsonNode record, DataOutputView target) throws IOException {
            byte[] bytes = MAPPER.writeValueAsBytes(record);
            target.writeInt(bytes.length);
            target.write(bytes);
        }

        @Override
        public JsonNode deserialize(DataInputView source) throws IOException {
            int length = source.readInt();
            if (length < 0) {
                throw new IOException("Corrupt JSON state: a negative length " + length);
            }
            byte[] bytes = new byte[length];
            source.readFully(bytes);
            return MAPPER.readTree(bytes);
        }

        @Override
        public JsonNode deserialize(JsonNode reuse, DataInputView source) throws IOException {
            return deserialize(source);
        }

        @Override
        public void copy(DataInputView source, DataOutputView target) throws IOException {
            int length = source.readInt();
            target.writeInt(length);
            target.write(source, length);
        }

        @Override
        public TypeSerializerSnapshot<JsonNode> snapshotConfiguration() {
            return new Snapshot();
        }

        /** No configuration; version 1. */
        public static final class Snapshot extends SimpleTypeSerializerSnapshot<JsonNode> {
            public Snapshot() {
                super(() -> INSTANCE);
            }
        }
    }
}
