package dev.lakehouse.queryd.exec;

import dev.lakehouse.common.error.ApiException;
import dev.lakehouse.common.error.BadRequest;
import dev.lakehouse.common.error.ErrorCodes;
import dev.lakehouse.common.error.Forbidden;
import dev.lakehouse.common.error.GatewayTimeout;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

/** DuckDB's errors as the typed errors a client can act on: one place that reads the engine's message prefixes. */
public final class EngineErrors {
    private EngineErrors() {}

    /** @param timedOut the statement timeout fired for this query (its error is then a 504, whatever it says) */
    static ApiException translate(SQLException e, boolean timedOut, Duration timeout) {
        String msg = firstLine(e.getMessage());
        if (timedOut || msg.startsWith("INTERRUPT")) {
            return new GatewayTimeout("statement exceeded the timeout of " + timeout.toMillis() + " ms and was cancelled",
                    Map.of("timeout_ms", timeout.toMillis()));
        }
        if (msg.startsWith("Permission Error")) {
            return new Forbidden("SQL may only read the registered datasets: " + msg, Map.of("code", ErrorCodes.SQL_FORBIDDEN));
        }
        if (msg.startsWith("Out of Memory Error")) {
            return new ApiException(507, "the engine ran out of memory (queryd.duckdb_memory_limit): " + msg,
                    Map.of("code", "engine_memory_exhausted"), e);
        }
        if (msg.startsWith("IO Error") || msg.startsWith("INTERNAL") || msg.startsWith("FATAL")) {
            return new ApiException(500, "query failed in the engine: " + msg);
        }
        return new BadRequest(e.getMessage() == null ? msg : e.getMessage().strip());
    }

    /** What {@link #translate} makes a 504 of, for a timeout that found no statement to interrupt. */
    static SQLException timedOutBetweenAttempts() {
        return new SQLException("INTERRUPT Error: statement timeout");
    }

    public static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("").trim();
    }
}
