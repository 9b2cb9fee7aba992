package io.github.flinkconfluent.connector.format.protobuf;

import io.github.flinkconfluent.connector.format.GoldenVectors;
import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.format.wire.WireFormatException.Reason;
import io.github.flinkconfluent.connector.registry.InMemorySchemaRegistry;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;

import com.google.protobuf.DynamicMessage;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Framed Protobuf records as protobuf-java messages of their writer's type (DataStream API). */
class ProtobufRegistryDeserializerTest {

    @Test
    void goldenRecordsDecodeToTheirWritersMessageType() throws Exception {
        InMemorySchemaRegistry registry = GoldenVectors.registryWithAll();
        ProtobufRegistryDeserializer deserializer = new ProtobufRegistryDeserializer(registry);

        DynamicMessage order =
                deserializer.deserialize(GoldenVectors.load("protobuf-order").payload());
        assertThat(order.getDescriptorForType().getFullName()).isEqualTo("golden.Order");
        assertThat(order.getField(order.getDescriptorForType().findFieldByName("id")))
                .isEqualTo(9876543210123L);

        DynamicMessage inner =
                deserializer.deserialize(GoldenVectors.load("protobuf-nested-index").payload());
        assertThat(inner.getDescriptorForType().getFullName()).isEqualTo("golden.Outer.Inner");
        assertThat(inner.getField(inner.getDescriptorForType().findFieldByName("count")))
                .isEqualTo(3);
    }

    @Test
    void badBytesAndWrongSchemasAreBadRecords() {
        InMemorySchemaRegistry registry = GoldenVectors.registryWithAll();
        ProtobufRegistryDeserializer deserializer = new ProtobufRegistryDeserializer(registry);
        byte[] order = GoldenVectors.load("protobuf-order").payload();
        assertThatThrownBy(() -> deserializer.deserialize(Arrays.copyOf(order, order.length - 2)))
                .isInstanceOf(WireFormatException.class)
                .satisfies(
                        e ->
                                assertThat(((WireFormatException) e).reason())
                                        .isEqualTo(Reason.TRUNCATED_BODY));
        assertThatThrownBy(
                        () -> deserializer.deserialize(GoldenVectors.load("avro-simple").payload()))
                .satisfies(
                        e ->
                                assertThat(((WireFormatException) e).reason())
                                        .isEqualTo(Reason.WRONG_SCHEMA_TYPE));

        int id =
                registry.register(
                        "n-value",
                        SchemaDefinition.protobuf("syntax = \"proto3\"; message N { N n = 1; }"));
        byte[] body = new byte[0];
        for (int i = 0; i < 5_000; i++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(0x0a);
            int length = body.length;
            while ((length & ~0x7f) != 0) {
                out.write((length & 0x7f) | 0x80);
                length >>>= 7;
            }
            out.write(length);
            out.writeBytes(body);
            body = out.toByteArray();
        }
        byte[] deep = ProtobufRowDataDecoderTest.frame(id, new int[] {0}, body);
        assertThatThrownBy(() -> deserializer.deserialize(deep))
                .satisfies(
                        e ->
                                assertThat(((WireFormatException) e).reason())
                                        .isEqualTo(Reason.MALFORMED_BODY));
    }
}
