package io.github.flinkconfluent.connector.serde;

import io.github.flinkconfluent.examples.avro.Complex;
import io.github.flinkconfluent.examples.avro.Logical;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** Flink's view of Avro records and of {@link KafkaRecord}: own serializers, never Kryo. */
class AvroTypeInfoTest {

    private static final Schema V1 =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"Order\",\"fields\":["
                                    + "{\"name\":\"order_id\",\"type\":\"int\"}]}");
    private static final Schema V2 =
            new Schema.Parser()
                    .parse(
                            "{\"type\":\"record\",\"name\":\"Order\",\"fields\":["
                                + "{\"name\":\"order_id\",\"type\":\"long\"},"
                                + "{\"name\":\"note\",\"type\":\"string\",\"default\":\"-\"}]}");

    private static <T> T roundTrip(TypeSerializer<T> serializer, T value) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        serializer.serialize(value, out);
        DataOutputSerializer copied = new DataOutputSerializer(64);
        serializer.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copied);
        assertThat(copied.getCopyOfBuffer()).isEqualTo(out.getCopyOfBuffer());
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        T read = serializer.deserialize(in);
        assertThat(in.available()).as("no trailing bytes").isZero();
        return read;
    }

    private static <T> TypeSerializer<T> serializerOf(TypeInformation<T> type) {
        TypeSerializer<T> serializer = type.createSerializer(new SerializerConfigImpl());
        assertThat(serializer)
                .isInstanceOfAny(AvroTypeSerializer.class, KafkaRecordTypeSerializer.class);
        return serializer;
    }

    @Test
    void generatedClassesRoundTrip() throws IOException {
        for (String golden : GoldenSpecifics.NAMES) {
            Object value = GoldenSpecifics.expected(golden);
            @SuppressWarnings({"unchecked", "rawtypes"})
            TypeSerializer<Object> serializer =
                    (TypeSerializer)
                            serializerOf(AvroTypeInfo.forSpecific((Class) value.getClass()));
            assertThat(roundTrip(serializer, value)).as(golden).isEqualTo(value);
            assertThat(serializer.copy(value)).isEqualTo(value).isNotSameAs(value);
        }
        assertThat(AvroTypeInfo.forSpecific(Complex.class).getTypeClass()).isEqualTo(Complex.class);
        assertThat(AvroTypeInfo.forSpecific(Logical.class))
                .isEqualTo(AvroTypeInfo.forSpecific(Logical.class));
    }

    @Test
    void genericRecordsOfOneOrAnySchemaRoundTrip() throws IOException {
        GenericRecord v1 = new GenericData.Record(V1);
        v1.put("order_id", 7);
        GenericRecord v2 = new GenericData.Record(V2);
        v2.put("order_id", 8L);
        v2.put("note", "gift");

        assertThat(roundTrip(serializerOf(AvroTypeInfo.forGeneric(V1)), v1)).isEqualTo(v1);
        TypeSerializer<GenericRecord> any = serializerOf(AvroTypeInfo.forGenericOfAnySchema());
        assertThat(roundTrip(any, v1)).isEqualTo(v1);
        GenericRecord read = roundTrip(any, v2);
        assertThat(read.getSchema()).isEqualTo(V2);
        assertThat(read.get("note").toString()).isEqualTo("gift");
    }

    @Test
    void stateWrittenWithAnOlderSchemaIsMigratedToACompatibleNewerOne() throws IOException {
        TypeSerializer<GenericRecord> old = serializerOf(AvroTypeInfo.forGeneric(V1));
        GenericRecord v1 = new GenericData.Record(V1);
        v1.put("order_id", 7);
        DataOutputSerializer state = new DataOutputSerializer(64);
        old.serialize(v1, state);
        TypeSerializerSnapshot<GenericRecord> oldSnapshot = reread(old.snapshotConfiguration());

        TypeSerializerSnapshot<GenericRecord> newSnapshot =
                serializerOf(AvroTypeInfo.forGeneric(V2)).snapshotConfiguration();
        TypeSerializerSchemaCompatibility<GenericRecord> compatibility =
                newSnapshot.resolveSchemaCompatibility(oldSnapshot);
        assertThat(compatibility.isCompatibleAfterMigration()).isTrue();
        assertThat(
                        serializerOf(AvroTypeInfo.forGeneric(V1))
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(oldSnapshot)
                                .isCompatibleAsIs())
                .isTrue();
        Schema unrelated =
                new Schema.Parser()
                        .parse(
                                "{\"type\":\"record\",\"name\":\"Order\",\"fields\":["
                                        + "{\"name\":\"sku\",\"type\":\"string\"}]}");
        assertThat(
                        serializerOf(AvroTypeInfo.forGeneric(unrelated))
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(oldSnapshot)
                                .isIncompatible())
                .isTrue();

        GenericRecord restored =
                oldSnapshot
                        .restoreSerializer()
                        .deserialize(new DataInputDeserializer(state.getCopyOfBuffer()));
        assertThat(restored.get("order_id")).isEqualTo(7);

        // Migration: Flink writes what the restored serializer read with the new serializer.
        TypeSerializer<GenericRecord> current = serializerOf(AvroTypeInfo.forGeneric(V2));
        DataOutputSerializer migrated = new DataOutputSerializer(64);
        current.serialize(restored, migrated);
        GenericRecord read =
                current.deserialize(new DataInputDeserializer(migrated.getCopyOfBuffer()));
        assertThat(read.getSchema()).isEqualTo(V2);
        assertThat(read.get("order_id")).isEqualTo(7L);
        assertThat(read.get("note").toString()).isEqualTo("-");
    }

    private static <T> TypeSerializerSnapshot<T> reread(TypeSerializerSnapshot<T> snapshot)
            throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        return TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), loader());
    }

    private static ClassLoader loader() {
        return AvroTypeInfoTest.class.getClassLoader();
    }

    @Test
    void kafkaRecordsRoundTripWithTheirHeadersAndPosition() throws IOException {
        KafkaRecordTypeInfo<String, Logical> type =
                new KafkaRecordTypeInfo<>(
                        TypeInformation.of(String.class), AvroTypeInfo.forSpecific(Logical.class));
        TypeSerializer<KafkaRecord<String, Logical>> serializer = serializerOf(type);
        Logical value = (Logical) GoldenSpecifics.expected("avro-logical");
        KafkaRecord<String, Logical> record =
                new KafkaRecord<>(
                        "k1",
                        value,
                        java.util.List.of(
                                new KafkaRecord.Header("trace", new byte[] {1, 2}),
                                new KafkaRecord.Header("empty", null)),
                        1234L,
                        "orders",
                        3,
                        99L);

        assertThat(roundTrip(serializer, record)).isEqualTo(record);
        KafkaRecord<String, Logical> tombstone = KafkaRecord.of("k2", null);
        assertThat(roundTrip(serializer, tombstone)).isEqualTo(tombstone);
        TypeSerializerSnapshot<KafkaRecord<String, Logical>> snapshot =
                reread(serializer.snapshotConfiguration());
        assertThat(snapshot.restoreSerializer()).isEqualTo(serializer);
        assertThat(
                        serializer
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(snapshot)
                                .isCompatibleAsIs())
                .isTrue();
    }
}
