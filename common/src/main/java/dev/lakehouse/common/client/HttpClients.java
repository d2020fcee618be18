package dev.lakehouse.common.client;

import dev.lakehouse.common.http.RequestIds;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/** OkHttp clients with the fleet's timeouts. One shared pool; derive per-use timeouts with newBuilder(). */
public final class HttpClients {
    private static final OkHttpClient BASE;

    static {
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(256);
        dispatcher.setMaxRequestsPerHost(128);
        BASE = new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                // idle connections must be dropped before the backends' Jetty closes them (30 s idle timeout):
                // a reused half-closed connection fails with "unexpected end of stream", and the gateway,
                // which does not retry, answered 502 to the first request after 30 s of quiet
                .connectionPool(newConnectionPool())
                .connectTimeout(Duration.ofSeconds(3))
                .readTimeout(Duration.ofSeconds(120))
                .writeTimeout(Duration.ofSeconds(120))
                .retryOnConnectionFailure(true)
                .followRedirects(false)
                // one request id through every inner call (RequestIds): the id of the request this thread serves
                .addInterceptor(chain -> {
                    String id = RequestIds.current();
                    return chain.proceed(id == null || chain.request().header(RequestIds.HEADER) != null
                            ? chain.request() : chain.request().newBuilder().header(RequestIds.HEADER, id).build());
                })
                .build();
    }

    private HttpClients() {}

    /** A pool with the fleet's settings, for a client that must not share connections with the others. */
    public static ConnectionPool newConnectionPool() {
        return new ConnectionPool(32, 20, TimeUnit.SECONDS);
    }

    public static OkHttpClient shared() {
        return BASE;
    }

    public static OkHttpClient withReadTimeout(Duration read) {
        return BASE.newBuilder().readTimeout(read).build();
    }

    /**
     * A client whose reads and writes time out after {@code idle} without OkHttp's watchdog thread: OkHttp's own
     * timeouts are off and {@link IdleTimeoutSockets} keep the idle timeout on the socket. It has a pool of its
     * own: OkHttp pools by address, not socket factory, and would otherwise hand it a plain connection of the
     * shared pool, which with these settings has no timeout at all.
     */
    public static OkHttpClient idleTimed(Duration idle) {
        return BASE.newBuilder()
                .connectionPool(newConnectionPool())
                .socketFactory(new IdleTimeoutSockets(idle))
                .readTimeout(Duration.ZERO)
                .writeTimeout(Duration.ZERO)
                .build();
    }
}
