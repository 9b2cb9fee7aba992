package io.github.flinkconfluent.connector.format.json;

import io.github.flinkconfluent.connector.format.wire.WireFormatException;
import io.github.flinkconfluent.connector.format.wire.WireFormatException.Reason;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * JSON numbers and numeric text into a {@code DECIMAL(8, 2)} column: rounded half up to the
 * column's scale as before, and a value that cannot fit (or whose exponent would make rescaling it
 * cost minutes or throw) is the per-record bad-data error naming the field, decided from its digits
 * before any rescaling.
 */
class JsonDecimalTest {

    private static final RowType AMOUNT =
            (RowType)
                    DataTypes.ROW(DataTypes.FIELD("amount", DataTypes.DECIMAL(8, 2)))
                            .getLogicalType();

    private static BigDecimal decode(String jsonValue) throws WireFormatException {
        JsonRowDataDecoder decoder = new JsonRowDataDecoder(AMOUNT, null, false);
        decoder.open();
        RowData row =
                decoder.decode(("{\"amount\":" + jsonValue + "}").getBytes(StandardCharsets.UTF_8));
        return row.getDecimal(0, 8, 2).toBigDecimal();
    }

    private static void assertDoesNotFit(String jsonValue, String why) {
        assertThatThrownBy(() -> decode(jsonValue))
                .isInstanceOfSatisfying(
                        WireFormatException.class,
                        e -> {
                            assertThat(e.reason()).isEqualTo(Reason.SCHEMA_VIOLATION);
                            assertThat(e)
                                    .hasMessageContaining("$.amount")
                                    .hasMessageContaining("DECIMAL(8, 2)")
                                    .hasMessageContaining(why);
                            assertThat(e.getMessage()).hasSizeLessThan(300);
                        });
    }

    @ParameterizedTest
    @CsvSource({
        "12.5, 12.50",
        "'\"12.5\"', 12.50",
        "12.345, 12.35",
        "-12.345, -12.35",
        "'\"0.005\"', 0.01",
        "'\"0.0049\"', 0.00",
        "'\"-0.005\"', -0.01",
        "999999.994, 999999.99",
        "1.5e2, 150.00",
        "'\"1E+3\"', 1000.00",
        "'\"-0.000\"', 0.00",
        "123456, 123456.00"
    })
    void ordinaryValuesAreRoundedHalfUpToTheColumnsScale(String json, String expected)
            throws Exception {
        assertThat(decode(json)).isEqualTo(new BigDecimal(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"999999.995", "1000000", "'\"1e6\"'", "-1234567.5"})
    void valuesTooLargeForTheColumnAreBadData(String json) {
        assertDoesNotFit(json.replace('\'', ' ').trim(), "does not fit");
    }

    @Test
    void aHugeExponentIsBadDataWithoutRescaling() {
        // setScale would multiply by 10^300000002: minutes of work for one record.
        assertDoesNotFit("\"1e300000000\"", "does not fit");
        assertDoesNotFit("\"1e600000000\"", "does not fit");
        // setScale would throw ArithmeticException ("BigInteger would overflow").
        assertDoesNotFit("\"1e999999999\"", "does not fit");
        assertDoesNotFit("\"-9.99e999999999\"", "does not fit");
    }

    @Test
    void anExponentOutOfRangeIsBadData() {
        assertDoesNotFit("\"1e2147483648\"", "not a number");
    }

    @Test
    void aValueTooSmallForTheColumnsScaleIsZeroWithoutRescaling() throws Exception {
        // Rounded half up to 2 decimals these are 0.00, as 0.001 is; rescaling them directly
        // would divide by 10^999999997 (ArithmeticException) or 10^600000000 (minutes).
        assertThat(decode("\"1e-999999999\"")).isEqualTo(new BigDecimal("0.00"));
        assertThat(decode("\"-1e-600000000\"")).isEqualTo(new BigDecimal("0.00"));
        assertThat(decode("\"0e999999999\"")).isEqualTo(new BigDecimal("0.00"));
        assertThat(decode("\"0." + "0".repeat(990) + "5\"")).isEqualTo(new BigDecimal("0.00"));
    }

    @Test
    void numericTextLongerThanTheLimitIsBadData() throws Exception {
        String digits = "1" + "0".repeat(1000);
        assertThat(decode("\"0." + "0".repeat(990) + "1\"")).isEqualTo(new BigDecimal("0.00"));
        assertDoesNotFit("\"" + digits + "\"", "more than the 1000");
        assertDoesNotFit("\"" + "9".repeat(5_000_000) + "\"", "more than the 1000");
    }

    @Test
    void textThatIsNotANumberIsBadData() {
        assertDoesNotFit("\"twelve\"", "not a number");
        assertDoesNotFit("\" 12\"", "not a number");
        assertThatThrownBy(() -> decode("true"))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("$.amount should be a number");
    }
}
