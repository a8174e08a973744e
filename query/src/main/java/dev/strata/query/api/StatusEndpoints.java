package dev.strata.query.api;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * {@code /api/v1/status/buildinfo}, {@code runtimeinfo}, {@code config} and {@code flags} (the node's
 * resolved configuration keys and values, secrets masked). Runtime info reports only
 * fields that have a true value on a JVM (no Go garbage-collector settings): start and server time,
 * working directory, host name, config state (loaded once at start), thread count in
 * {@code goroutineCount}, processors in {@code GOMAXPROCS}, and the retention.
 */
final class StatusEndpoints {
    private final ApiSettings settings;
    private final LongSupplier clockMs;

    StatusEndpoints(ApiSettings settings, LongSupplier clockMs) {
        this.settings = settings;
        this.clockMs = clockMs;
    }

    ApiResult buildInfo(ApiRequest r) {
        BuildInfo b = settings.buildInfo();
        return ApiResult.of(w -> w.raw("{\"version\":").string(b.version())
                .raw(",\"revision\":").string(b.revision())
                .raw(",\"branch\":").string(b.branch())
                .raw(",\"buildUser\":").string(b.buildUser())
                .raw(",\"buildDate\":").string(b.buildDate())
                .raw(",\"goVersion\":").string(b.goVersion())
                .raw('}'));
    }

    ApiResult runtimeInfo(ApiRequest r) {
        String start = rfc3339(settings.startTimeMs());
        String now = rfc3339(clockMs.getAsLong());
        String cwd = System.getProperty("user.dir", "");
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "";
        }
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        int procs = Runtime.getRuntime().availableProcessors();
        String hostname = host;
        return ApiResult.of(w -> w.raw("{\"startTime\":").string(start)
                .raw(",\"CWD\":").string(cwd)
                .raw(",\"hostname\":").string(hostname)
                .raw(",\"serverTime\":").string(now)
                .raw(",\"reloadConfigSuccess\":true")
                .raw(",\"lastConfigTime\":").string(start)
                .raw(",\"goroutineCount\":").number(threads)
                .raw(",\"GOMAXPROCS\":").number(procs)
                .raw(",\"storageRetention\":").string(settings.storageRetention())
                .raw('}'));
    }

    /** Prometheus's shape: {@code {"yaml": "<the configuration>"}}. */
    ApiResult config(ApiRequest r) {
        String yaml = settings.configYaml();
        return ApiResult.of(w -> w.raw("{\"yaml\":").string(yaml).raw('}'));
    }

    ApiResult flags(ApiRequest r) {
        Map<String, String> flags = settings.flags();
        return ApiResult.of(w -> {
            w.raw('{');
            boolean first = true;
            for (Map.Entry<String, String> e : flags.entrySet()) {
                if (!first) w.raw(',');
                first = false;
                w.string(e.getKey()).raw(':').string(e.getValue());
            }
            w.raw('}');
        });
    }

    /** Go's time.Time JSON form (RFC 3339 with nanoseconds trimmed) in the system zone. */
    static String rfc3339(long ms) {
        ZonedDateTime t = Instant.ofEpochMilli(ms).atZone(ZoneId.systemDefault());
        String s = t.toOffsetDateTime().toString(); // ISO, trims zero fractions, "Z" for UTC
        // Java omits seconds when they are zero ("12:00Z"); RFC 3339 requires them.
        int tIdx = s.indexOf('T');
        String time = s.substring(tIdx + 1);
        int zone = Math.max(time.indexOf('Z'), Math.max(time.indexOf('+'), time.indexOf('-')));
        String hms = time.substring(0, zone);
        if (hms.length() == 5) s = s.substring(0, tIdx + 1) + hms + ":00" + time.substring(zone);
        return s;
    }
}
