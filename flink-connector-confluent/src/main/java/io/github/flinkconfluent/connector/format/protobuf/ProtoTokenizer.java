package io.github.flinkconfluent.connector.format.protobuf;

import org.apache.flink.annotation.Internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Splits {@code .proto} text into tokens (identifiers, numbers, strings, symbols), skipping
 * whitespace and comments, for {@link ProtoSchemaParser}.
 *
 * <p>Kept apart from the parser because the lexical rules (C-style escapes, adjacent string
 * literals, {@code //} and {@code /* *}{@code /} comments) are independent of the grammar.
 */
@Internal
final class ProtoTokenizer {

    /** What a token is. */
    enum Kind {
        IDENTIFIER,
        NUMBER,
        STRING,
        SYMBOL,
        END
    }

    private final String text;
    private int position;
    private int line = 1;

    private Kind kind;
    private String token;
    private int tokenLine;

    ProtoTokenizer(String text) {
        this.text = text;
        advance();
    }

    Kind kind() {
        return kind;
    }

    String token() {
        return token;
    }

    int line() {
        return tokenLine;
    }

    /** Moves to the next token. */
    void advance() {
        skipSpaceAndComments();
        tokenLine = line;
        if (position >= text.length()) {
            kind = Kind.END;
            token = "";
            return;
        }
        char c = text.charAt(position);
        int start = position;
        if (Character.isLetter(c)
                || c == '_'
                || (c == '.'
                        && position + 1 < text.length()
                        && (Character.isLetter(text.charAt(position + 1))
                                || text.charAt(position + 1) == '_'))) {
            while (position < text.length()
                    && (Character.isLetterOrDigit(text.charAt(position))
                            || text.charAt(position) == '_'
                            || text.charAt(position) == '.')) {
                position++;
            }
            kind = Kind.IDENTIFIER;
            token = text.substring(start, position);
        } else if (Character.isDigit(c)
                || (c == '.'
                        && position + 1 < text.length()
                        && Character.isDigit(text.charAt(position + 1)))) {
            while (position < text.length()
                    && (Character.isLetterOrDigit(text.charAt(position))
                            || text.charAt(position) == '.'
                            || ((text.charAt(position) == '+' || text.charAt(position) == '-')
                                    && (text.charAt(position - 1) == 'e'
                                            || text.charAt(position - 1) == 'E')))) {
                position++;
            }
            kind = Kind.NUMBER;
            token = text.substring(start, position);
        } else if (c == '"' || c == '\'') {
            kind = Kind.STRING;
            token = readString(c);
        } else {
            position++;
            kind = Kind.SYMBOL;
            token = String.valueOf(c);
        }
    }

    private void skipSpaceAndComments() {
        while (position < text.length()) {
            char c = text.charAt(position);
            if (c == '\n') {
                line++;
                position++;
            } else if (Character.isWhitespace(c)) {
                position++;
            } else if (text.startsWith("//", position)) {
                while (position < text.length() && text.charAt(position) != '\n') {
                    position++;
                }
            } else if (text.startsWith("/*", position)) {
                int end = text.indexOf("*/", position + 2);
                if (end < 0) {
                    throw error("a /* comment is not closed");
                }
                for (int i = position; i < end; i++) {
                    if (text.charAt(i) == '\n') {
                        line++;
                    }
                }
                position = end + 2;
            } else {
                return;
            }
        }
    }

    /** A string literal with its escapes resolved, as UTF-8 text. */
    private String readString(char quote) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        position++;
        while (true) {
            if (position >= text.length() || text.charAt(position) == '\n') {
                throw error("a string literal is not closed");
            }
            char c = text.charAt(position++);
            if (c == quote) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
            if (c != '\\') {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && position < text.length()) {
                    utf8 =
                            new String(new char[] {c, text.charAt(position++)})
                                    .getBytes(StandardCharsets.UTF_8);
                }
                bytes.writeBytes(utf8);
                continue;
            }
            if (position >= text.length()) {
                throw error("a string literal ends in a backslash");
            }
            char e = text.charAt(position++);
            switch (e) {
                case 'n' -> bytes.write('\n');
                case 't' -> bytes.write('\t');
                case 'r' -> bytes.write('\r');
                case 'a' -> bytes.write(7);
                case 'b' -> bytes.write('\b');
                case 'f' -> bytes.write('\f');
                case 'v' -> bytes.write(11);
                case 'x', 'X' -> bytes.write(readDigits(16, 2));
                case 'u' -> bytes.writeBytes(codePoint(readDigits(16, 4)));
                case 'U' -> bytes.writeBytes(codePoint(readDigits(16, 8)));
                default -> {
                    if (e >= '0' && e <= '7') {
                        position--;
                        bytes.write(readDigits(8, 3));
                    } else {
                        bytes.write(e); // \\ \' \" \?
                    }
                }
            }
        }
    }

    private static byte[] codePoint(int codePoint) {
        return new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
    }

    private int readDigits(int radix, int max) {
        int value = 0;
        int count = 0;
        while (count < max
                && position < text.length()
                && Character.digit(text.charAt(position), radix) >= 0) {
            value = value * radix + Character.digit(text.charAt(position++), radix);
            count++;
        }
        if (count == 0) {
            throw error("an escape in a string literal has no digits");
        }
        return value;
    }

    IllegalArgumentException error(String message) {
        return new IllegalArgumentException("line " + line + ": " + message);
    }
}
