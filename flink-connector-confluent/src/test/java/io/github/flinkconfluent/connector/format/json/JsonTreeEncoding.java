package io.github.flinkconfluent.connector.format.json;

import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ArrayNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.MapType;
import org.apache.flink.table.types.logical.RowType;

import java.io.Serializable;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * The sink's former JSON encoding, a Jackson tree per row: the oracle that {@link JsonRowWriters}
 * must agree with byte for byte ({@code JsonRowWritersTest}).
 */
final class JsonTreeEncoding {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonTreeEncoding() {}

    static Function<Object, JsonNode> of(LogicalType type) {
        return create(type);
    }

    private interface Converter extends Function<Object, JsonNode>, Serializable {}

    private static Converter create(LogicalType type) {
        Converter nonNull = nonNull(type);
        return value -> value == null ? NODES.nullNode() : nonNull.apply(value);
    }

    private static Converter nonNull(LogicalType type) {
        switch (type.getTypeRoot()) {
            case CHAR:
            case VARCHAR:
                return value -> NODES.textNode(value.toString());
            case BOOLEAN:
                return value -> NODES.booleanNode((Boolean) value);
            case TINYINT:
                return value -> NODES.numberNode((Byte) value);
            case SMALLINT:
                return value -> NODES.numberNode((Short) value);
            case INTEGER:
                return value -> NODES.numberNode((Integer) value);
            case BIGINT:
                return value -> NODES.numberNode((Long) value);
            case FLOAT:
                return value -> NODES.numberNode((Float) value);
            case DOUBLE:
                return value -> NODES.numberNode((Double) value);
            case DECIMAL:
                return value -> NODES.numberNode(((DecimalData) value).toBigDecimal());
            case BINARY:
            case VARBINARY:
                return value -> NODES.textNode(Base64.getEncoder().encodeToString((byte[]) value));
            case DATE:
                return value -> NODES.textNode(LocalDate.ofEpochDay((Integer) value).toString());
            case TIME_WITHOUT_TIME_ZONE:
                return value ->
                        NODES.textNode(
                                LocalTime.ofNanoOfDay((Integer) value * 1_000_000L).toString());
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                return value ->
                        NODES.textNode(((TimestampData) value).toLocalDateTime().toString());
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return value -> NODES.textNode(((TimestampData) value).toInstant().toString());
            case ARRAY:
                LogicalType elementType = ((ArrayType) type).getElementType();
                Converter element = create(elementType);
                ArrayData.ElementGetter getter = ArrayData.createElementGetter(elementType);
                return value -> {
                    ArrayData array = (ArrayData) value;
                    ArrayNode node = NODES.arrayNode(array.size());
                    for (int i = 0; i < array.size(); i++) {
                        node.add(element.apply(getter.getElementOrNull(array, i)));
                    }
                    return node;
                };
            case MAP:
                MapType mapType = (MapType) type;
                Converter mapValue = create(mapType.getValueType());
                ArrayData.ElementGetter keys = ArrayData.createElementGetter(mapType.getKeyType());
                ArrayData.ElementGetter values =
                        ArrayData.createElementGetter(mapType.getValueType());
                return value -> {
                    MapData map = (MapData) value;
                    ObjectNode node = NODES.objectNode();
                    for (int i = 0; i < map.size(); i++) {
                        node.set(
                                String.valueOf(keys.getElementOrNull(map.keyArray(), i)),
                                mapValue.apply(values.getElementOrNull(map.valueArray(), i)));
                    }
                    return node;
                };
            case ROW:
                RowType rowType = (RowType) type;
                List<String> names = rowType.getFieldNames();
                Converter[] fields = new Converter[names.size()];
                RowData.FieldGetter[] getters = new RowData.FieldGetter[names.size()];
                for (int i = 0; i < fields.length; i++) {
                    fields[i] = create(rowType.getTypeAt(i));
                    getters[i] = RowData.createFieldGetter(rowType.getTypeAt(i), i);
                }
                return value -> {
                    RowData row = (RowData) value;
                    ObjectNode node = NODES.objectNode();
                    for (int i = 0; i < fields.length; i++) {
                        node.set(names.get(i), fields[i].apply(getters[i].getFieldOrNull(row)));
                    }
                    return node;
                };
            default:
                throw new ValidationException(
                        "The JSON format cannot write the SQL type " + type.asSummaryString());
        }
    }
}
