package io.github.flinkconfluent.connector.serde;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

import java.util.Objects;

/**
 * Flink type information for {@link KafkaRecord}: the key and value with their own type information
 * (so an Avro value keeps its Avro serializer), the headers and the position with a fixed layout.
 * Without it Flink would fall back to Kryo for the record and everything in it.
 */
@PublicEvolving
public final class KafkaRecordTypeInfo<K, V> extends TypeInformation<KafkaRecord<K, V>> {

    private static final long serialVersionUID = 1L;

    private final TypeInformation<K> keyType;
    private final TypeInformation<V> valueType;

    public KafkaRecordTypeInfo(TypeInformation<K> keyType, TypeInformation<V> valueType) {
        this.keyType = Objects.requireNonNull(keyType, "keyType");
        this.valueType = Objects.requireNonNull(valueType, "valueType");
    }

    public TypeInformation<K> keyType() {
        return keyType;
    }

    public TypeInformation<V> valueType() {
        return valueType;
    }

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
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Class<KafkaRecord<K, V>> getTypeClass() {
        return (Class) KafkaRecord.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<KafkaRecord<K, V>> createSerializer(SerializerConfig config) {
        return new KafkaRecordTypeSerializer<>(
                keyType.createSerializer(config), valueType.createSerializer(config));
    }

    @Override
    public String toString() {
        return "KafkaRecord<" + keyType + ", " + valueType + ">";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KafkaRecordTypeInfo<?, ?> other
                && other.canEqual(this)
                && keyType.equals(other.keyType)
                && valueType.equals(other.valueType);
    }

    @Override
    public int hashCode() {
        return Objects.hash(keyType, valueType);
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof KafkaRecordTypeInfo;
    }
}
