package dev.lakehouse.gateway;

import dev.lakehouse.common.auth.FleetCredential;
import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.FleetKeys;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.http.ConnectionLimits;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.routes.Mount;
import dev.lakehouse.common.routes.Routes;
import io.javalin.http.HandlerType;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The gateway's routes: {@code /v1/health}, the web console ({@link ConsoleRoutes}) and one streaming proxy per mount of {@link Routes#MOUNTS}. */
final class GatewayRoutes {
    private static final List<HandlerType> METHODS = List.of(
            HandlerType.GET, HandlerType.HEAD, HandlerType.POST, HandlerType.PUT,
            HandlerType.PATCH, HandlerType.DELETE, HandlerType.OPTIONS);

    private GatewayRoutes() {}

    static ServiceApp install(Config config) {
        Map<Service, String> upstreams = new EnumMap<>(Service.class);
        Routes.backends().forEach(s -> upstreams.put(s, config.url(s)));
        Duration timeout = config.get(GatewayKeys.UPSTREAM_TIMEOUT);
        FleetCredential credential = FleetCredential.load(config);
        ProxyHandler proxy = new ProxyHandler(upstreams, timeout, credential,
                BearerAuth.fromToken(config.find(FleetKeys.TOKEN)).map(BearerAuth::identity).orElse("anonymous"));
        FleetHealth health = new FleetHealth(upstreams, config.get(GatewayKeys.HEALTH_TIMEOUT));
        // the public door: no client address may hold more than its share of connections (and of threads)
        ConnectionLimits limits = new ConnectionLimits(config.get(GatewayKeys.MAX_CONNECTIONS_PER_ADDRESS),
                config.get(GatewayKeys.MAX_CONNECTIONS));
        return ServiceApp.builder(Service.GATEWAY, config)
                .metricsAlsoAt(Routes.GATEWAY_METRICS) // its own figures only: each backend serves its /metrics
                .connectionLimits(limits)
                .maxThreads(config.get(GatewayKeys.MAX_THREADS))
                .health(() -> Map.of("connections", limits.stats()))
                .routes(r -> {
                    Optional<BearerAuth> bearer = BearerAuth.fromToken(config.find(FleetKeys.TOKEN));
                    bearer.ifPresent(auth -> r.before(auth::check));
                    // status for anyone (probes); URLs, versions and heap only for a token holder or the fleet itself
                    r.get(Routes.GATEWAY_HEALTH, ctx -> health.handle(ctx,
                            bearer.map(auth -> auth.presentsToken(ctx)).orElse(false)
                                    || credential.accepts(ctx.header(FleetCredential.HEADER))));
                    r.get(Routes.OPENAPI_YAML, ctx -> ctx.contentType("application/yaml").result(OpenApiDocument.yaml()));
                    r.get(Routes.OPENAPI_JSON, ctx -> ctx.contentType("application/json").result(OpenApiDocument.json()));
                    ConsoleRoutes.install(r);
                    for (Mount m : Routes.MOUNTS) {
                        for (HandlerType method : METHODS) {
                            r.addHttpHandler(method, m.publicPrefix(), ctx -> proxy.forward(ctx, m));
                            r.addHttpHandler(method, m.publicPrefix() + "/<rest>", ctx -> proxy.forward(ctx, m));
                        }
                    }
                })
                .start();
    }
}
