package dev.strata.launch;

import java.time.Duration;

/**
 * How long a supervised child waits before each restart, as Kubernetes does for a crashing
 * container: {@code initial} after the first exit, doubled after each further exit, at most
 * {@code max}; a child that stayed up at least {@code resetAfter} before exiting starts over at
 * {@code initial} (one crash after a long healthy run is not a crash loop).
 */
public record RestartBackoff(Duration initial, Duration max, Duration resetAfter) {
    /** What `strata dev` uses for its nodes: 2 s, 4 s, 8 s, ... at most 32 s; reset after 60 s up. */
    public static final RestartBackoff DEV = new RestartBackoff(Duration.ofSeconds(2), Duration.ofSeconds(32),
            Duration.ofSeconds(60));

    public RestartBackoff {
        if (initial.isNegative() || max.compareTo(initial) < 0 || resetAfter.isNegative()) {
            throw new IllegalArgumentException("need 0 <= initial <= max and resetAfter >= 0: " + initial + ", " + max
                    + ", " + resetAfter);
        }
    }

    /** The wait before restart number {@code crashes} of a crash loop (1 = the first exit since a reset). */
    public Duration delay(int crashes) {
        if (crashes < 1) throw new IllegalArgumentException("crashes must be >= 1, got " + crashes);
        Duration d = initial;
        for (int i = 1; i < crashes && d.compareTo(max) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(max) > 0 ? max : d;
    }
}
