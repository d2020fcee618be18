package dev.lakehouse.gateway;

import dev.lakehouse.common.config.Config;
import dev.lakehouse.common.config.Service;
import dev.lakehouse.common.http.ServiceApp;
import dev.lakehouse.common.routes.Mount;
import dev.lakehouse.common.routes.Routes;
import io.javalin.http.HandlerType;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The gateway's routes: {@code /v1/health}, the web console ({@link ConsoleRoutes}) and one streaming proxy per mount of {@link Routes#MOUNTS}. */
final class GatewayRoutes {
    private static final List<HandlerType> METHODS = List.of(
            HandlerType.GET, HandlerType.HEAD, HandlerType.POST, HandlerType.PUT,
            HandlerType.PATCH, HandlerType.DELETE, HandlerType.OPTIONS);

    private GatewayRoutes() {}

    static ServiceApp install(Config config) {
        Map<Service, String> upstreams = new EnumMap<>(Service.class);
        Routes.backends().forEach(s -> upstreams.put(s, config.url(s)));
        Duration timeout = config.duration("gateway.upstream_timeout", Duration.ofSeconds(300));
        ProxyHandler proxy = new ProxyHandler(upstreams, timeout);
        FleetHealth health = new FleetHealth(upstreams, config.duration("gateway.health_timeout", Duration.ofSeconds(2)));
        return ServiceApp.builder(Service.GATEWAY, config)
                .metricsAlsoAt(Routes.GATEWAY_METRICS) // its own figures only: each backend serves its /metrics
                .routes(r -> {
                    BearerAuth.fromToken(config.get("token")).ifPresent(auth -> r.before(auth::check));
                    r.get(Routes.GATEWAY_HEALTH, health::handle);
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
