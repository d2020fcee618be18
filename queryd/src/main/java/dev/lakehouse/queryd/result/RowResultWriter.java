package dev.lakehouse.queryd.result;

import dev.lakehouse.queryd.exec.QueryRunner;
import java.sql.SQLException;

/** The text formats: row at a time through a {@link RowCursor}. */
abstract class RowResultWriter implements ResultWriter {
    protected final QueryRunner.Running query;
    protected final RowCursor cursor;

    RowResultWriter(QueryRunner.Running query, long limit) {
        this.query = query;
        this.cursor = new RowCursor(query.resultSet(), limit);
    }

    @Override
    public void begin() throws SQLException {
        cursor.begin();
    }

    @Override
    public long rows() {
        return cursor.rows();
    }
}
