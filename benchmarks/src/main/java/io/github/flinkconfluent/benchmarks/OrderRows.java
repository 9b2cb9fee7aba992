package io.github.flinkconfluent.benchmarks;

import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.logical.RowType;

import java.time.LocalDateTime;

/**
 * The ten-column order row of {@link EndToEndThroughput}, computed from an id: in SQL (over Flink's
 * {@code datagen}, ids drawn at random) for the jobs, and in Java for the raw client loops (ids 1
 * to n), so that every side writes and reads rows of the same columns, sizes and value mix.
 */
final class OrderRows {

    /** The columns, as a table declares them. */
    static final String COLUMNS =
            "order_id BIGINT, customer_id INT, product STRING, quantity INT, price DOUBLE,"
                    + " currency STRING, created TIMESTAMP(3), note STRING, status STRING,"
                    + " gift BOOLEAN";

    static final RowType ROW_TYPE =
            (RowType)
                    DataTypes.ROW(
                                    DataTypes.FIELD("order_id", DataTypes.BIGINT()),
                                    DataTypes.FIELD("customer_id", DataTypes.INT()),
                                    DataTypes.FIELD("product", DataTypes.STRING()),
                                    DataTypes.FIELD("quantity", DataTypes.INT()),
                                    DataTypes.FIELD("price", DataTypes.DOUBLE()),
                                    DataTypes.FIELD("currency", DataTypes.STRING()),
                                    DataTypes.FIELD("created", DataTypes.TIMESTAMP(3)),
                                    DataTypes.FIELD("note", DataTypes.STRING()),
                                    DataTypes.FIELD("status", DataTypes.STRING()),
                                    DataTypes.FIELD("gift", DataTypes.BOOLEAN()))
                            .notNull()
                            .getLogicalType();

    /** The one column of the raw tables. */
    static final String RAW_COLUMNS = "line STRING";

    static final RowType RAW_ROW_TYPE =
            (RowType)
                    DataTypes.ROW(DataTypes.FIELD("line", DataTypes.STRING()))
                            .notNull()
                            .getLogicalType();

    private static final LocalDateTime BASE = LocalDateTime.of(2023, 11, 14, 22, 13, 20, 1_000_000);

    private static final String[] STATUS = {"NEW", "PAID", "SHIPPED", "DONE"};

    private OrderRows() {}

    /**
     * The SQL of a view {@code orders_gen} of {@code rows} rows with ids drawn at random from 1 to
     * {@code rows}, over a bounded, unthrottled {@code datagen}. Random rather than a {@code
     * sequence}: a sequence keeps every value it has still to emit in its checkpointed state (8 MB
     * for 1 000 000 rows), which slows every checkpoint of a write job; a random generator keeps a
     * count. The rows' sizes and value mix are the same either way.
     */
    static String[] generatorDdl(long rows) {
        return new String[] {
            "CREATE TEMPORARY TABLE gen (id BIGINT) WITH ('connector' = 'datagen',"
                    + " 'number-of-rows' = '"
                    + rows
                    + "', 'fields.id.kind' = 'random', 'fields.id.min' = '1',"
                    + " 'fields.id.max' = '"
                    + rows
                    + "', 'rows-per-second' = '1000000000')",
            "CREATE TEMPORARY VIEW orders_gen AS SELECT"
                    + " id AS order_id,"
                    + " CAST(id % 10000 AS INT) AS customer_id,"
                    + " CONCAT('product-', CAST(id % 997 AS STRING)) AS product,"
                    + " CAST(id % 7 + 1 AS INT) AS quantity,"
                    + " CAST(id % 100000 AS DOUBLE) / 100 AS price,"
                    + " CASE WHEN id % 5 = 0 THEN CAST(NULL AS STRING) ELSE 'EUR' END AS currency,"
                    + " TIMESTAMPADD(SECOND, CAST(id AS INT),"
                    + " CAST(TIMESTAMP '2023-11-14 22:13:20.001' AS TIMESTAMP(3))) AS created,"
                    + " CASE WHEN id % 3 = 0 THEN CAST(NULL AS STRING)"
                    + " ELSE CONCAT('note ', CAST(id AS STRING)) END AS note,"
                    + " CASE CAST(id % 4 AS INT) WHEN 0 THEN 'NEW' WHEN 1 THEN 'PAID'"
                    + " WHEN 2 THEN 'SHIPPED' ELSE 'DONE' END AS status,"
                    + " id % 2 = 0 AS gift"
                    + " FROM gen",
            "CREATE TEMPORARY VIEW raw_gen AS SELECT CONCAT_WS(',', CAST(order_id AS STRING),"
                    + " CAST(customer_id AS STRING), product, CAST(quantity AS STRING),"
                    + " CAST(price AS STRING), COALESCE(currency, ''), CAST(created AS STRING),"
                    + " COALESCE(note, ''), status, CAST(gift AS STRING)) AS line FROM orders_gen"
        };
    }

    /** Row {@code id} as the view {@code orders_gen} computes it. */
    static RowData row(long id) {
        GenericRowData row = new GenericRowData(10);
        row.setField(0, id);
        row.setField(1, (int) (id % 10000));
        row.setField(2, StringData.fromString("product-" + (id % 997)));
        row.setField(3, (int) (id % 7 + 1));
        row.setField(4, (double) (id % 100000) / 100);
        row.setField(5, id % 5 == 0 ? null : StringData.fromString("EUR"));
        row.setField(6, TimestampData.fromLocalDateTime(BASE.plusSeconds((int) id)));
        row.setField(7, id % 3 == 0 ? null : StringData.fromString("note " + id));
        row.setField(8, StringData.fromString(STATUS[(int) (id % 4)]));
        row.setField(9, id % 2 == 0);
        return row;
    }
}
