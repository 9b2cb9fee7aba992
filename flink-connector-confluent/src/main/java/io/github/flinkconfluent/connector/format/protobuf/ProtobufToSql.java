package io.github.flinkconfluent.connector.format.protobuf;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.types.DataType;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Converts a Protobuf message type into the SQL columns of a table, as if the table had been
 * declared with them; the mapping every Protobuf table follows (see docs/schema-registry.md).
 *
 * <p>Presence decides nullability: a field that can be absent as such (a message, a proto3 {@code
 * optional} or proto2 {@code optional} field, a wrapper) is nullable, a proto3 scalar, which reads
 * as its default when absent, is NOT NULL. What SQL cannot hold is a JSON column ({@code STRING}),
 * as for Avro unions: each {@code oneof} is one column named after the oneof, holding {@code
 * {"member": value}}, and a message that contains itself is JSON from the point it recurs. Unsigned
 * 64-bit integers become {@code DECIMAL(20, 0)}, unsigned 32-bit ones {@code BIGINT}, so that no
 * value changes sign. {@code google.protobuf.Timestamp} is {@code TIMESTAMP_LTZ(9)}: a Timestamp
 * carries nanoseconds, and precision 9 keeps them.
 */
@Internal
public final class ProtobufToSql {

    /** The precision of a {@code google.protobuf.Timestamp} column: its nanoseconds. */
    public static final int TIMESTAMP_PRECISION = 9;

    private ProtobufToSql() {}

    /** The columns of a table whose values are messages of type {@code message}. */
    public static DataType toRowType(Descriptor message) {
        return message(message, new HashSet<>()).notNull();
    }

    private static DataType message(Descriptor message, Set<String> enclosing) {
        Set<String> inside = new HashSet<>(enclosing);
        inside.add(message.getFullName());
        List<DataTypes.Field> fields = new ArrayList<>();
        Set<OneofDescriptor> oneofsDone = new HashSet<>();
        for (FieldDescriptor field : message.getFields()) {
            OneofDescriptor oneof = field.getRealContainingOneof();
            if (oneof != null) {
                if (oneofsDone.add(oneof)) {
                    fields.add(DataTypes.FIELD(oneof.getName(), DataTypes.STRING().nullable()));
                }
                continue;
            }
            fields.add(DataTypes.FIELD(field.getName(), field(field, inside)));
        }
        return DataTypes.ROW(fields.toArray(new DataTypes.Field[0]));
    }

    private static DataType field(FieldDescriptor field, Set<String> enclosing) {
        if (field.isMapField()) {
            Descriptor entry = field.getMessageType();
            return DataTypes.MAP(
                            single(entry.findFieldByNumber(1), enclosing).notNull(),
                            single(entry.findFieldByNumber(2), enclosing))
                    .notNull();
        }
        if (field.isRepeated()) {
            return DataTypes.ARRAY(single(field, enclosing).notNull()).notNull();
        }
        DataType type = single(field, enclosing);
        return field.hasPresence() ? type.nullable() : type;
    }

    /** The type of one value of {@code field}: NOT NULL unless it is a message (or wrapper). */
    private static DataType single(FieldDescriptor field, Set<String> enclosing) {
        switch (field.getJavaType()) {
            case INT:
                return isUnsigned(field) ? DataTypes.BIGINT().notNull() : DataTypes.INT().notNull();
            case LONG:
                return isUnsigned(field)
                        ? DataTypes.DECIMAL(20, 0).notNull()
                        : DataTypes.BIGINT().notNull();
            case FLOAT:
                return DataTypes.FLOAT().notNull();
            case DOUBLE:
                return DataTypes.DOUBLE().notNull();
            case BOOLEAN:
                return DataTypes.BOOLEAN().notNull();
            case STRING:
            case ENUM:
                return DataTypes.STRING().notNull();
            case BYTE_STRING:
                return DataTypes.BYTES().notNull();
            case MESSAGE:
            default:
                Descriptor message = field.getMessageType();
                if (WellKnownTypes.isTimestamp(message)) {
                    return DataTypes.TIMESTAMP_LTZ(TIMESTAMP_PRECISION).nullable();
                }
                FieldDescriptor wrapped = WellKnownTypes.wrappedValue(message);
                if (wrapped != null) {
                    return single(wrapped, enclosing).nullable();
                }
                if (enclosing.contains(message.getFullName())) {
                    return DataTypes.STRING().nullable(); // recursive: SQL types are finite
                }
                return message(message, enclosing).nullable();
        }
    }

    static boolean isUnsigned(FieldDescriptor field) {
        FieldDescriptor.Type type = field.getType();
        return type == FieldDescriptor.Type.UINT32
                || type == FieldDescriptor.Type.FIXED32
                || type == FieldDescriptor.Type.UINT64
                || type == FieldDescriptor.Type.FIXED64;
    }
}
