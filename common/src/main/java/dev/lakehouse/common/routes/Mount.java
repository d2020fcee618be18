package dev.lakehouse.common.routes;

import dev.lakehouse.common.config.Service;

/**
 * One gateway mount: requests under {@code publicPrefix} go to {@code service}, with the path after the
 * prefix appended to {@code upstreamPrefix}.
 */
public record Mount(String publicPrefix, Service service, String upstreamPrefix) {
    public boolean matches(String path) {
        return path.equals(publicPrefix) || path.startsWith(publicPrefix + "/");
    }

    /** The upstream path for a (raw, still percent-encoded) public path this mount matches. */
    public String upstreamPath(String rawPath) {
        String rest = rawPath.substring(publicPrefix.length());
        String p = upstreamPrefix + rest;
        return p.isEmpty() ? "/" : p;
    }
}
