package dev.lakehouse.gateway;

import dev.lakehouse.common.error.ErrorCodes;
import dev.lakehouse.common.error.NotFound;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.InputStream;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The web console (docs/console.md): static files bundled in the gateway jar under {@code /console/}, served at
 * {@code /} and {@code /ui/...}. Pages are client-side routes, so any {@code /ui/<page>} answers the same
 * index.html; assets are looked up by a strict name pattern, never by a path the client assembles. It calls
 * the public {@code /v1/*} API from the browser like any other client, so the bearer check stays where it is.
 */
final class ConsoleRoutes {
    private static final String ROOT = "/console/";
    /** One flat folder of assets: no slashes, no dot segments, a known extension. */
    private static final Pattern ASSET = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}\\.(js|css|svg|html)");
    private static final Pattern PAGE = Pattern.compile("[a-z][a-z0-9-]{0,31}(/[A-Za-z0-9_.%-]{1,200}){0,2}");
    private static final Map<String, String> TYPES = Map.of(
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "html", "text/html; charset=utf-8");
    /** Same-origin only: no CDN, no inline script, the API on this gateway; the page cannot be framed. */
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
            + "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private ConsoleRoutes() {}

    static void install(RoutesConfig r) {
        r.get("/", ConsoleRoutes::index);
        r.get("/ui", ConsoleRoutes::index); // and /ui/: Javalin ignores a trailing slash
        r.get("/ui/assets/{file}", ConsoleRoutes::asset);
        r.get("/ui/<page>", ctx -> {
            if (!PAGE.matcher(ctx.pathParam("page")).matches()) {
                throw new NotFound("no console page " + ctx.pathParam("page"), Map.of("code", ErrorCodes.ROUTE_NOT_FOUND));
            }
            index(ctx);
        });
    }

    private static void index(Context ctx) {
        serve(ctx, "index.html", "html");
    }

    private static void asset(Context ctx) {
        String file = ctx.pathParam("file");
        var m = ASSET.matcher(file);
        if (!m.matches()) {
            throw new NotFound("no console asset " + file, Map.of("code", ErrorCodes.ROUTE_NOT_FOUND));
        }
        serve(ctx, "assets/" + file, m.group(1));
    }

    private static void serve(Context ctx, String resource, String ext) {
        InputStream in = ConsoleRoutes.class.getResourceAsStream(ROOT + resource);
        if (in == null) {
            throw new NotFound("no console asset " + resource, Map.of("code", ErrorCodes.ROUTE_NOT_FOUND));
        }
        ctx.header("Cache-Control", "no-cache")
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("Content-Security-Policy", CSP)
                .contentType(TYPES.get(ext))
                .result(in);
    }
}
