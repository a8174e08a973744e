package dev.strata.node.http;

import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Maps (method, path) to a {@link Route}. Exact paths win over prefixes; among prefixes the longest
 * wins. HEAD is answered by the GET route (the dispatcher drops the body). A path that matches
 * with another method gives {@link Match.MethodNotAllowed} (405, with the allowed methods), no match
 * at all gives {@link Match.NotFound} (404). Immutable once built.
 */
public final class Router {
    private final Map<String, Map<HttpMethod, Route>> exact;
    private final List<Prefix> prefixes; // longest first

    private record Prefix(String prefix, Map<HttpMethod, Route> routes) {}

    private Router(Map<String, Map<HttpMethod, Route>> exact, List<Prefix> prefixes) {
        this.exact = exact;
        this.prefixes = prefixes;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The outcome of routing one request. */
    public sealed interface Match {
        /** @param pattern the registered path, or the prefix followed by {@code *}: a bounded metric label */
        record Found(Route route, String pattern) implements Match {}

        record MethodNotAllowed(Set<String> allowed) implements Match {}

        record NotFound() implements Match {}
    }

    /** @param path the request path without the query string */
    public Match match(HttpMethod method, String path) {
        Map<HttpMethod, Route> routes = exact.get(path);
        String pattern = path;
        if (routes == null) {
            for (Prefix p : prefixes) {
                if (path.startsWith(p.prefix())) {
                    routes = p.routes();
                    pattern = p.prefix() + "*";
                    break;
                }
            }
        }
        if (routes == null) {
            return new Match.NotFound();
        }
        Route r = routes.get(method);
        if (r == null && HttpMethod.HEAD.equals(method)) r = routes.get(HttpMethod.GET);
        if (r == null) {
            Set<String> allowed = new TreeSet<>();
            routes.keySet().forEach(m -> allowed.add(m.name()));
            if (allowed.contains("GET")) allowed.add("HEAD");
            return new Match.MethodNotAllowed(allowed);
        }
        return new Match.Found(r, pattern);
    }

    public static final class Builder {
        private final Map<String, Map<HttpMethod, Route>> exact = new LinkedHashMap<>();
        private final Map<String, Map<HttpMethod, Route>> prefixes = new LinkedHashMap<>();

        private Builder() {}

        public Builder get(String path, Route route) {
            return route(HttpMethod.GET, path, route);
        }

        public Builder post(String path, Route route) {
            return route(HttpMethod.POST, path, route);
        }

        /** GET and POST to the same route (the Prometheus query API accepts both). */
        public Builder getOrPost(String path, Route route) {
            return get(path, route).post(path, route);
        }

        /** @throws IllegalArgumentException if (method, path) is already routed */
        public Builder route(HttpMethod method, String path, Route route) {
            put(exact, method, checkPath(path), route);
            return this;
        }

        /** Every path starting with {@code prefix}, e.g. {@code /api/v1/label/} for {@code /api/v1/label/<name>/values}. */
        public Builder prefix(HttpMethod method, String prefix, Route route) {
            put(prefixes, method, checkPath(prefix), route);
            return this;
        }

        public Router build() {
            Map<String, Map<HttpMethod, Route>> e = new LinkedHashMap<>();
            exact.forEach((k, v) -> e.put(k, Map.copyOf(v)));
            List<Prefix> p = new ArrayList<>();
            prefixes.forEach((k, v) -> p.add(new Prefix(k, Map.copyOf(v))));
            p.sort(Comparator.comparingInt((Prefix x) -> x.prefix().length()).reversed());
            return new Router(Map.copyOf(e), List.copyOf(p));
        }

        private static void put(Map<String, Map<HttpMethod, Route>> table, HttpMethod method, String path, Route route) {
            if (route == null) {
                throw new IllegalArgumentException("null route for " + method + " " + path);
            }
            Route old = table.computeIfAbsent(path, k -> new LinkedHashMap<>()).putIfAbsent(method, route);
            if (old != null) {
                throw new IllegalArgumentException(method + " " + path + " is routed twice");
            }
        }

        private static String checkPath(String path) {
            if (path == null || !path.startsWith("/")) {
                throw new IllegalArgumentException("route path must start with /: " + path);
            }
            return path;
        }
    }
}
