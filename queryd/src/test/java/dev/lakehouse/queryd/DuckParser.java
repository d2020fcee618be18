package dev.lakehouse.queryd;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A plain in-memory DuckDB for a test class, opened before it and closed after: the parser queryd's gates ask
 * ({@code json_serialize_sql}), as the real DuckDB sessions do.
 *
 * <pre>
 * &#64;RegisterExtension static final DuckParser PARSER = new DuckParser();   // PARSER.get(): the connection
 * </pre>
 */
public final class DuckParser implements BeforeAllCallback, AfterAllCallback, Supplier<Connection> {
    private Connection connection;

    @Override
    public void beforeAll(ExtensionContext context) throws SQLException {
        connection = DriverManager.getConnection("jdbc:duckdb:");
    }

    @Override
    public void afterAll(ExtensionContext context) throws SQLException {
        connection.close();
    }

    @Override
    public Connection get() {
        return connection;
    }
}
