package io.github.flinkconfluent.benchmarks;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;

import java.math.BigDecimal;

/**
 * The order-like rows the format benchmarks read and write, and the contexts Flink's formats need
 * to open outside a job.
 */
final class Orders {

    /**
     * An order row: numbers, text, a timestamp, nullable fields, a decimal, a nested row and an
     * array.
     */
    static final RowType ORDER =
            (RowType)
                    DataTypes.ROW(
                                    DataTypes.FIELD("order_id", DataTypes.BIGINT().notNull()),
                                    DataTypes.FIELD("customer_id", DataTypes.INT().notNull()),
                                    DataTypes.FIELD("product", DataTypes.STRING().notNull()),
                                    DataTypes.FIELD("quantity", DataTypes.INT().notNull()),
                                    DataTypes.FIELD("price", DataTypes.DOUBLE().notNull()),
                                    DataTypes.FIELD("currency", DataTypes.STRING()),
                                    DataTypes.FIELD("created", DataTypes.TIMESTAMP(3).notNull()),
                                    DataTypes.FIELD("note", DataTypes.STRING()),
                                    DataTypes.FIELD("amount", DataTypes.DECIMAL(10, 2)),
                                    DataTypes.FIELD(
                                            "shipping",
                                            DataTypes.ROW(
                                                    DataTypes.FIELD("city", DataTypes.STRING()),
                                                    DataTypes.FIELD("zip", DataTypes.STRING()))),
                                    DataTypes.FIELD("tags", DataTypes.ARRAY(DataTypes.STRING())))
                            .notNull()
                            .getLogicalType();

    private Orders() {}

    /** The {@code i}-th order: values vary, a third without currency, a tenth with a note. */
    static RowData order(int i) {
        return GenericRowData.of(
                1_000_000L + i,
                i % 977,
                StringData.fromString("product-" + (i % 100)),
                1 + i % 5,
                9.99 * (1 + i % 7),
                i % 3 == 0 ? null : StringData.fromString("EUR"),
                TimestampData.fromEpochMillis(1_700_000_000_000L + i * 1_001L),
                i % 10 == 0 ? StringData.fromString("gift wrap please") : null,
                DecimalData.fromBigDecimal(BigDecimal.valueOf(1_999 + i * 7L, 2), 10, 2),
                GenericRowData.of(
                        StringData.fromString("city-" + (i % 50)),
                        StringData.fromString(String.valueOf(10_000 + i % 9_000))),
                new GenericArrayData(
                        i % 4 == 0
                                ? new Object[0]
                                : new Object[] {
                                    StringData.fromString("tag-" + (i % 7)),
                                    StringData.fromString("express")
                                }));
    }

    static DeserializationSchema.InitializationContext deserializationContext() {
        return new DeserializationSchema.InitializationContext() {
            @Override
            public MetricGroup getMetricGroup() {
                return new UnregisteredMetricsGroup();
            }

            @Override
            public UserCodeClassLoader getUserCodeClassLoader() {
                return SimpleUserCodeClassLoader.create(Orders.class.getClassLoader());
            }
        };
    }

    static SerializationSchema.InitializationContext serializationContext() {
        return new SerializationSchema.InitializationContext() {
            @Override
            public MetricGroup getMetricGroup() {
                return new UnregisteredMetricsGroup();
            }

            @Override
            public UserCodeClassLoader getUserCodeClassLoader() {
                return SimpleUserCodeClassLoader.create(Orders.class.getClassLoader());
            }
        };
    }

    /**
     * Fails the setup when two sides read or wrote different rows (compared with {@code equals}:
     * Flink's arrays print without their elements).
     */
    static void requireSame(String what, Object ours, Object theirs) {
        if (!java.util.Objects.equals(ours, theirs)) {
            throw new IllegalStateException(what + ": " + ours + " != " + theirs);
        }
    }
}
