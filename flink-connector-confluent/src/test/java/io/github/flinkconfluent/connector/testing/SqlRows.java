package io.github.flinkconfluent.connector.testing;

import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

import java.util.ArrayList;
import java.util.List;

/** SQL results for the table ITs: every row a (bounded) query returns, changelog kinds included. */
public final class SqlRows {

    private SqlRows() {}

    /** Runs {@code query} and collects all its rows; the query must end (bounded sources). */
    public static List<Row> collect(TableEnvironment env, String query) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = env.executeSql(query).collect()) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }
}
