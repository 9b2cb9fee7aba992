package io.github.flinkconfluent.connector.format.protobuf;

import io.github.flinkconfluent.connector.registry.InMemorySchemaRegistry;
import io.github.flinkconfluent.connector.registry.SchemaDefinition;
import io.github.flinkconfluent.connector.registry.SchemaReference;
import io.github.flinkconfluent.connector.registry.SchemaType;

import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Timestamp;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code .proto} text parsed into descriptors as {@code protoc} would build them. */
class ProtoSchemaParserTest {

    private static final String ORDERS =
            """
            // An order, with every kind of field.
            syntax = "proto3";
            package shop.v1;
            import "google/protobuf/timestamp.proto";
            import "google/protobuf/wrappers.proto";
            option java_package = "com.example.shop";
            option (my.ext) = { a: 1 b: "x" };

            /* Block comment
               over lines. */
            message Order {
              option deprecated = false;
              reserved 9, 10 to 12, 100 to max;
              reserved "old";
              int64 id = 1;
              string customer = 2 [json_name = "cust", deprecated = true];
              repeated double prices = 3 [packed = false];
              map<string, Line> lines = 4;
              Status status = 5;
              google.protobuf.Timestamp placed_at = 6;
              google.protobuf.StringValue note = 7;
              optional int32 priority = 8;
              oneof payment {
                string card = 13;
                Cash cash = 14;
              }
              bytes blob = 15;
              .shop.v1.Order.Line first = 16;
              message Line {
                string sku = 1;
                sint32 quantity = 2;
              }
              message Cash { uint64 cents = 0x1; }
              enum Status {
                option allow_alias = true;
                STATUS_UNKNOWN = 0;
                STATUS_OPEN = 1 [deprecated = true];
                STATUS_CLOSED = -2;
              }
              extensions 1000 to 2000;
            }
            service Shop { rpc Place (Order) returns (Order) { option idempotency_level = 1; } }
            """;

    @Test
    void buildsEveryKindOfProto3Field() {
        FileDescriptor file = RegistryProtobufSchemas.build(protobuf(ORDERS), registry());
        Descriptor order = file.findMessageTypeByName("Order");
        assertThat(order.getFullName()).isEqualTo("shop.v1.Order");
        assertThat(order.getFields())
                .extracting(FieldDescriptor::getName)
                .containsExactly(
                        "id",
                        "customer",
                        "prices",
                        "lines",
                        "status",
                        "placed_at",
                        "note",
                        "priority",
                        "card",
                        "cash",
                        "blob",
                        "first");
        assertThat(order.findFieldByName("id").getType()).isEqualTo(FieldDescriptor.Type.INT64);
        assertThat(order.findFieldByName("id").hasPresence()).isFalse();
        assertThat(order.findFieldByName("prices").isRepeated()).isTrue();
        assertThat(order.findFieldByName("prices").isPacked()).isFalse();
        FieldDescriptor lines = order.findFieldByName("lines");
        assertThat(lines.isMapField()).isTrue();
        assertThat(lines.getMessageType().getName()).isEqualTo("LinesEntry");
        assertThat(lines.getMessageType().findFieldByName("value").getMessageType().getFullName())
                .isEqualTo("shop.v1.Order.Line");
        assertThat(order.findFieldByName("status").getEnumType().getValues())
                .extracting(v -> v.getName() + "=" + v.getNumber())
                .containsExactly("STATUS_UNKNOWN=0", "STATUS_OPEN=1", "STATUS_CLOSED=-2");
        assertThat(order.findFieldByName("placed_at").getMessageType())
                .isSameAs(Timestamp.getDescriptor());
        assertThat(order.findFieldByName("note").getMessageType().getFullName())
                .isEqualTo("google.protobuf.StringValue");
        FieldDescriptor priority = order.findFieldByName("priority");
        assertThat(priority.hasPresence()).isTrue();
        assertThat(priority.getContainingOneof().getName()).isEqualTo("_priority");
        assertThat(priority.getRealContainingOneof()).isNull();
        assertThat(order.findFieldByName("cash").getRealContainingOneof().getName())
                .isEqualTo("payment");
        assertThat(order.getRealOneofs()).hasSize(1);
        assertThat(order.findFieldByName("first").getMessageType().getFullName())
                .isEqualTo("shop.v1.Order.Line");
        assertThat(order.findNestedTypeByName("Cash").findFieldByNumber(1).getType())
                .isEqualTo(FieldDescriptor.Type.UINT64);
    }

    @Test
    void proto2LabelsAndPackedDefaults() {
        FileDescriptorProto file =
                ProtoSchemaParser.parse(
                        "a.proto",
                        """
                        syntax = "proto2";
                        message A {
                          required int32 a = 1;
                          optional string b = 2 [default = "x\\"y"];
                          repeated int32 c = 3 [packed = true];
                        }
                        """);
        List<FieldDescriptorProto> fields = file.getMessageType(0).getFieldList();
        assertThat(fields)
                .extracting(FieldDescriptorProto::getLabel)
                .containsExactly(
                        FieldDescriptorProto.Label.LABEL_REQUIRED,
                        FieldDescriptorProto.Label.LABEL_OPTIONAL,
                        FieldDescriptorProto.Label.LABEL_REPEATED);
        assertThat(fields.get(1).getProto3Optional()).isFalse();
        assertThat(fields.get(2).getOptions().getPacked()).isTrue();
        assertThat(file.hasSyntax()).isFalse();
    }

    @Test
    void importsResolveThroughReferencesDepthFirst() {
        InMemorySchemaRegistry registry = registry();
        registry.register(
                "common",
                protobuf(
                        "syntax = \"proto3\"; package common; message Money { int64 cents = 1; }"));
        registry.register(
                "line",
                new SchemaDefinition(
                        SchemaType.PROTOBUF,
                        "syntax = \"proto3\"; package shop; import \"common.proto\";"
                                + " message Line { common.Money price = 1; }",
                        List.of(new SchemaReference("common.proto", "common", 1))));
        SchemaDefinition order =
                new SchemaDefinition(
                        SchemaType.PROTOBUF,
                        "syntax = \"proto3\"; package shop; import \"line.proto\"; import"
                                + " \"common.proto\"; message Order { repeated Line lines = 1;"
                                + " common.Money total = 2; }",
                        List.of(
                                new SchemaReference("line.proto", "line", 1),
                                new SchemaReference("common.proto", "common", 1)));
        Descriptor descriptor =
                RegistryProtobufSchemas.build(order, registry).findMessageTypeByName("Order");
        assertThat(
                        descriptor
                                .findFieldByName("lines")
                                .getMessageType()
                                .findFieldByName("price")
                                .getMessageType())
                .isSameAs(descriptor.findFieldByName("total").getMessageType());
    }

    @Test
    void anImportWithoutAReferenceIsNamed() {
        assertThatThrownBy(
                        () ->
                                RegistryProtobufSchemas.build(
                                        protobuf(
                                                "syntax = \"proto3\"; import \"other.proto\";"
                                                        + " message A { int32 a = 1; }"),
                                        registry()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'other.proto'")
                .hasMessageContaining("no reference");
    }

    @Test
    void errorsNameTheLine() {
        assertThatThrownBy(
                        () ->
                                ProtoSchemaParser.parse(
                                        "x.proto",
                                        "syntax = \"proto3\";\nmessage A {\n  int32 a = ;\n}"))
                .hasMessageContaining("line 3")
                .hasMessageContaining("expected a number");
        assertThatThrownBy(
                        () ->
                                RegistryProtobufSchemas.build(
                                        protobuf(
                                                "syntax = \"proto3\"; message A { Missing m = 1;"
                                                        + " }"),
                                        registry()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Missing");
        assertThatThrownBy(() -> ProtoSchemaParser.parse("x.proto", "edition = \"2023\";"))
                .hasMessageContaining("editions");
    }

    @Test
    void entryNamesFollowProtoc() {
        assertThat(ProtoSchemaParser.entryName("my_map")).isEqualTo("MyMapEntry");
        assertThat(ProtoSchemaParser.entryName("tags")).isEqualTo("TagsEntry");
    }

    private static SchemaDefinition protobuf(String text) {
        return SchemaDefinition.protobuf(text);
    }

    private static InMemorySchemaRegistry registry() {
        return new InMemorySchemaRegistry();
    }
}
