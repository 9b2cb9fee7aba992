package io.github.flinkconfluent.connector.format.protobuf;

import io.github.flinkconfluent.connector.format.protobuf.ProtoTokenizer.Kind;

import org.apache.flink.annotation.Internal;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FieldOptions;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.DescriptorProtos.OneofDescriptorProto;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses the text of a {@code .proto} file (proto2 or proto3), as the Schema Registry stores
 * Protobuf schemas, into a {@link FileDescriptorProto} that {@code
 * Descriptors.FileDescriptor.buildFrom} turns into descriptors.
 *
 * <p>protobuf-java has no {@code .proto} text parser (that is {@code protoc}'s job), and the
 * parsers that exist elsewhere bring Kotlin or a compiler into the shaded jar; the part of the
 * grammar a record's layout depends on is small. Kept: {@code syntax}, {@code package}, {@code
 * import} (with {@code public}), messages (nested), enums, fields with their labels (including
 * proto3 {@code optional}, which gets its synthetic oneof as {@code protoc} makes it), {@code
 * map<K, V>} (as the {@code ...Entry} message {@code protoc} generates), {@code oneof}, and the
 * {@code packed} field option (it changes how a sink writes). Read and dropped, as they change
 * nothing a decoder needs: other options, {@code reserved}, {@code extensions}, {@code extend}
 * blocks, services. Type names stay as written; {@code buildFrom} resolves them with the scoping
 * rules of {@code protoc}.
 *
 * <p>Rejected with a message naming the line: editions, proto2 groups, and anything else that does
 * not parse.
 */
@Internal
public final class ProtoSchemaParser {

    private static final Map<String, Type> SCALARS =
            Map.ofEntries(
                    Map.entry("double", Type.TYPE_DOUBLE),
                    Map.entry("float", Type.TYPE_FLOAT),
                    Map.entry("int32", Type.TYPE_INT32),
                    Map.entry("int64", Type.TYPE_INT64),
                    Map.entry("uint32", Type.TYPE_UINT32),
                    Map.entry("uint64", Type.TYPE_UINT64),
                    Map.entry("sint32", Type.TYPE_SINT32),
                    Map.entry("sint64", Type.TYPE_SINT64),
                    Map.entry("fixed32", Type.TYPE_FIXED32),
                    Map.entry("fixed64", Type.TYPE_FIXED64),
                    Map.entry("sfixed32", Type.TYPE_SFIXED32),
                    Map.entry("sfixed64", Type.TYPE_SFIXED64),
                    Map.entry("bool", Type.TYPE_BOOL),
                    Map.entry("string", Type.TYPE_STRING),
                    Map.entry("bytes", Type.TYPE_BYTES));

    private final ProtoTokenizer tokens;
    private boolean proto3;

    private ProtoSchemaParser(String text) {
        this.tokens = new ProtoTokenizer(text);
    }

    /**
     * Parses {@code text} into a file named {@code fileName} (the name other files import it by).
     *
     * @throws IllegalArgumentException when the text is not a {@code .proto} file this parser
     *     reads, with the line
     */
    public static FileDescriptorProto parse(String fileName, String text) {
        return new ProtoSchemaParser(text).file(fileName);
    }

    private FileDescriptorProto file(String fileName) {
        FileDescriptorProto.Builder file = FileDescriptorProto.newBuilder().setName(fileName);
        if (at("syntax")) {
            tokens.advance();
            expect("=");
            String syntax = string();
            expect(";");
            if (!syntax.equals("proto2") && !syntax.equals("proto3")) {
                throw tokens.error("syntax '" + syntax + "' is not proto2 or proto3");
            }
            proto3 = syntax.equals("proto3");
            if (proto3) {
                file.setSyntax("proto3");
            }
        } else if (at("edition")) {
            throw tokens.error(
                    "Protobuf editions are not supported; register the schema with syntax ="
                            + " \"proto3\" or \"proto2\"");
        }
        while (tokens.kind() != Kind.END) {
            if (accept(";")) {
                continue;
            }
            String keyword = identifier();
            switch (keyword) {
                case "package" -> {
                    file.setPackage(identifier());
                    expect(";");
                }
                case "import" -> {
                    boolean isPublic = at("public");
                    if (isPublic || at("weak")) {
                        tokens.advance();
                    }
                    if (isPublic) {
                        file.addPublicDependency(file.getDependencyCount());
                    }
                    file.addDependency(string());
                    expect(";");
                }
                case "option" -> skipOption();
                case "message" -> file.addMessageType(message());
                case "enum" -> file.addEnumType(enumType());
                case "service", "extend" -> {
                    identifier();
                    skipBlock();
                }
                default -> throw tokens.error("unexpected '" + keyword + "' at the top level");
            }
        }
        return file.build();
    }

    private DescriptorProto message() {
        DescriptorProto.Builder message = DescriptorProto.newBuilder().setName(identifier());
        List<FieldDescriptorProto.Builder> proto3Optionals = new ArrayList<>();
        expect("{");
        while (!accept("}")) {
            messageElement(message, null, proto3Optionals);
        }
        // protoc puts the synthetic oneofs of proto3 optional fields after the real ones.
        for (FieldDescriptorProto.Builder field : proto3Optionals) {
            field.setOneofIndex(message.getOneofDeclCount());
            message.addOneofDecl(OneofDescriptorProto.newBuilder().setName("_" + field.getName()));
        }
        for (FieldDescriptorProto.Builder field : proto3Optionals) {
            for (int i = 0; i < message.getFieldCount(); i++) {
                if (message.getField(i).getName().equals(field.getName())) {
                    message.setField(i, field);
                }
            }
        }
        return message.build();
    }

    /** One element of a message body, or of a oneof when {@code oneofIndex} is set. */
    private void messageElement(
            DescriptorProto.Builder message,
            Integer oneofIndex,
            List<FieldDescriptorProto.Builder> proto3Optionals) {
        if (accept(";")) {
            return;
        }
        if (tokens.kind() != Kind.IDENTIFIER) {
            throw tokens.error("expected a field, found '" + tokens.token() + "'");
        }
        String word = tokens.token();
        if (oneofIndex == null) {
            switch (word) {
                case "message" -> {
                    tokens.advance();
                    message.addNestedType(message());
                    return;
                }
                case "enum" -> {
                    tokens.advance();
                    message.addEnumType(enumType());
                    return;
                }
                case "oneof" -> {
                    tokens.advance();
                    int index = message.getOneofDeclCount();
                    message.addOneofDecl(OneofDescriptorProto.newBuilder().setName(identifier()));
                    expect("{");
                    while (!accept("}")) {
                        messageElement(message, index, proto3Optionals);
                    }
                    return;
                }
                case "reserved", "extensions" -> {
                    skipStatement();
                    return;
                }
                case "extend" -> {
                    tokens.advance();
                    identifier();
                    skipBlock();
                    return;
                }
                default -> {}
            }
        }
        if (word.equals("option")) {
            tokens.advance();
            skipOption();
            return;
        }
        Label label = Label.LABEL_OPTIONAL;
        boolean explicitOptional = false;
        if (oneofIndex == null) {
            switch (word) {
                case "optional" -> explicitOptional = true;
                case "required" -> label = Label.LABEL_REQUIRED;
                case "repeated" -> label = Label.LABEL_REPEATED;
                default -> {}
            }
            if (explicitOptional || label != Label.LABEL_OPTIONAL) {
                tokens.advance();
            }
        }
        FieldDescriptorProto.Builder field = FieldDescriptorProto.newBuilder().setLabel(label);
        if (at("map") && peekIsMapType()) {
            mapField(message, field);
        } else {
            String type = identifier();
            if (type.equals("group")) {
                throw tokens.error("proto2 groups are not supported");
            }
            Type scalar = SCALARS.get(type);
            if (scalar != null) {
                field.setType(scalar);
            } else {
                field.setTypeName(type);
            }
            field.setName(identifier());
        }
        expect("=");
        field.setNumber(fieldNumber());
        if (accept("[")) {
            fieldOptions(field);
        }
        expect(";");
        if (oneofIndex != null) {
            field.setOneofIndex(oneofIndex);
        }
        message.addField(field);
        if (explicitOptional && proto3) {
            field.setProto3Optional(true);
            proto3Optionals.add(field);
        }
    }

    private boolean peekIsMapType() {
        tokens.advance();
        if (accept("<")) {
            return true;
        }
        // A message type named 'map' (unusual but legal): the word was its type name.
        throw tokens.error("a message type named 'map' is not supported");
    }

    /** {@code map<K, V> name}: a repeated field of a generated {@code NameEntry} message. */
    private void mapField(DescriptorProto.Builder message, FieldDescriptorProto.Builder field) {
        String keyType = identifier();
        expect(",");
        String valueType = identifier();
        expect(">");
        String name = identifier();
        String entryName = entryName(name);
        Type key = SCALARS.get(keyType);
        if (key == null
                || key == Type.TYPE_DOUBLE
                || key == Type.TYPE_FLOAT
                || key == Type.TYPE_BYTES) {
            throw tokens.error("map key type '" + keyType + "' is not allowed");
        }
        FieldDescriptorProto.Builder value =
                FieldDescriptorProto.newBuilder()
                        .setName("value")
                        .setNumber(2)
                        .setLabel(Label.LABEL_OPTIONAL);
        Type valueScalar = SCALARS.get(valueType);
        if (valueScalar != null) {
            value.setType(valueScalar);
        } else {
            value.setTypeName(valueType);
        }
        message.addNestedType(
                DescriptorProto.newBuilder()
                        .setName(entryName)
                        .setOptions(MessageOptions.newBuilder().setMapEntry(true))
                        .addField(
                                FieldDescriptorProto.newBuilder()
                                        .setName("key")
                                        .setNumber(1)
                                        .setLabel(Label.LABEL_OPTIONAL)
                                        .setType(key))
                        .addField(value));
        field.setName(name)
                .setLabel(Label.LABEL_REPEATED)
                .setType(Type.TYPE_MESSAGE)
                .setTypeName(entryName);
    }

    /**
     * {@code protoc}'s name for a map field's entry message: {@code my_map} is {@code MyMapEntry}.
     */
    static String entryName(String fieldName) {
        StringBuilder name = new StringBuilder();
        boolean upper = true;
        for (char c : fieldName.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                name.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return name.append("Entry").toString();
    }

    private EnumDescriptorProto enumType() {
        EnumDescriptorProto.Builder enumType =
                EnumDescriptorProto.newBuilder().setName(identifier());
        expect("{");
        while (!accept("}")) {
            if (accept(";")) {
                continue;
            }
            String name = identifier();
            if (name.equals("option")) {
                skipOption();
                continue;
            }
            if (name.equals("reserved")) {
                skipStatement();
                continue;
            }
            expect("=");
            int number = (int) integer(Integer.MIN_VALUE, Integer.MAX_VALUE);
            if (accept("[")) {
                skipUntilClosing("]");
            }
            expect(";");
            enumType.addValue(
                    EnumValueDescriptorProto.newBuilder().setName(name).setNumber(number));
        }
        return enumType.build();
    }

    private void fieldOptions(FieldDescriptorProto.Builder field) {
        do {
            String name = optionName();
            expect("=");
            if (name.equals("packed")) {
                String value = identifier();
                field.setOptions(
                        FieldOptions.newBuilder(field.getOptions())
                                .setPacked(value.equals("true")));
            } else {
                skipConstant();
            }
        } while (accept(","));
        expect("]");
    }

    /** After {@code option}: {@code name = constant;}. */
    private void skipOption() {
        optionName();
        expect("=");
        skipConstant();
        expect(";");
    }

    /** An option name: {@code java_package}, {@code (my.ext).field}, ... */
    private String optionName() {
        StringBuilder name = new StringBuilder();
        do {
            if (accept("(")) {
                name.append('(').append(identifier()).append(')');
                expect(")");
                if (tokens.kind() == Kind.IDENTIFIER && tokens.token().startsWith(".")) {
                    name.append(identifier());
                }
            } else {
                name.append(identifier());
            }
        } while (accept("."));
        return name.toString();
    }

    private void skipConstant() {
        if (accept("{")) {
            skipUntilClosing("}");
            return;
        }
        if (accept("-") || accept("+")) {
            // a signed number or inf
        }
        if (tokens.kind() == Kind.STRING) {
            while (tokens.kind() == Kind.STRING) {
                tokens.advance();
            }
            return;
        }
        if (tokens.kind() == Kind.END || tokens.kind() == Kind.SYMBOL) {
            throw tokens.error("expected an option value, found '" + tokens.token() + "'");
        }
        tokens.advance();
    }

    private void skipStatement() {
        while (!accept(";")) {
            if (tokens.kind() == Kind.END) {
                throw tokens.error("missing ';'");
            }
            tokens.advance();
        }
    }

    /** Skips {@code { ... }}, nested braces included. */
    private void skipBlock() {
        expect("{");
        skipUntilClosing("}");
    }

    private void skipUntilClosing(String closing) {
        String opening = closing.equals("}") ? "{" : closing.equals("]") ? "[" : "<";
        int depth = 1;
        while (depth > 0) {
            if (tokens.kind() == Kind.END) {
                throw tokens.error("missing '" + closing + "'");
            }
            if (tokens.kind() == Kind.SYMBOL && tokens.token().equals(opening)) {
                depth++;
            } else if (tokens.kind() == Kind.SYMBOL && tokens.token().equals(closing)) {
                depth--;
            }
            tokens.advance();
        }
    }

    private int fieldNumber() {
        return (int) integer(1, 536_870_911);
    }

    private long integer(long min, long max) {
        boolean negative = accept("-");
        if (tokens.kind() != Kind.NUMBER) {
            throw tokens.error("expected a number, found '" + tokens.token() + "'");
        }
        String digits = tokens.token().toLowerCase(Locale.ROOT);
        long value;
        try {
            if (digits.startsWith("0x")) {
                value = Long.parseLong(digits.substring(2), 16);
            } else if (digits.length() > 1 && digits.startsWith("0")) {
                value = Long.parseLong(digits.substring(1), 8);
            } else {
                value = Long.parseLong(digits);
            }
        } catch (NumberFormatException e) {
            throw tokens.error("'" + tokens.token() + "' is not an integer");
        }
        value = negative ? -value : value;
        if (value < min || value > max) {
            throw tokens.error(value + " is out of range " + min + ".." + max);
        }
        tokens.advance();
        return value;
    }

    private String identifier() {
        if (tokens.kind() != Kind.IDENTIFIER) {
            throw tokens.error("expected a name, found '" + tokens.token() + "'");
        }
        String value = tokens.token();
        tokens.advance();
        return value;
    }

    private String string() {
        if (tokens.kind() != Kind.STRING) {
            throw tokens.error("expected a string, found '" + tokens.token() + "'");
        }
        StringBuilder value = new StringBuilder();
        while (tokens.kind() == Kind.STRING) {
            value.append(tokens.token());
            tokens.advance();
        }
        return value.toString();
    }

    private boolean at(String word) {
        return tokens.kind() == Kind.IDENTIFIER && tokens.token().equals(word);
    }

    private boolean accept(String symbol) {
        if (tokens.kind() == Kind.SYMBOL && tokens.token().equals(symbol)) {
            tokens.advance();
            return true;
        }
        return false;
    }

    private void expect(String symbol) {
        if (!accept(symbol)) {
            throw tokens.error(
                    "expected '"
                            + symbol
                            + "', found '"
                            + (tokens.kind() == Kind.END ? "end of text" : tokens.token())
                            + "'");
        }
    }
}
