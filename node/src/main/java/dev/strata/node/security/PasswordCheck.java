package dev.strata.node.security;

import dev.strata.store.concurrent.NamedThreads;
import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Checks basic-auth passwords against bcrypt hashes (at.favre.lib:bcrypt). bcrypt is slow by design
 * (~70 ms at cost 10), so checks run on two threads of their own ({@code strata-auth-*}), never on an
 * event loop, with at most {@value #QUEUE} waiting (beyond that the check fails with
 * {@link Busy}); and a successful check is remembered for {@link #CACHE_MILLIS}. The cache key is
 * SHA-256(user, hash, password): neither the password nor anything that verifies it is kept, a
 * changed hash (new password in the file) misses the cache, and a wrong password never hits. An
 * unknown user is checked against a dummy hash, so the answer takes as long as for a known user
 * (user names do not leak through timing), as Prometheus's exporter-toolkit does.
 */
public final class PasswordCheck implements AutoCloseable {
    static final long CACHE_MILLIS = 60_000;
    static final int QUEUE = 256;
    private static final int CACHE_MAX = 10_000;

    /** Too many checks waiting; the caller answers 503. */
    public static final class Busy extends RuntimeException {
        Busy() {
            super("too many password checks in progress", null, false, false);
        }
    }

    private final java.util.concurrent.ExecutorService executor;
    private final ConcurrentHashMap<String, Long> verified = new ConcurrentHashMap<>(); // key -> expiry millis
    private final LongSupplier clock;
    private final byte[] dummyHash;

    public PasswordCheck(LongSupplier clockMillis) {
        this.clock = clockMillis;
        this.executor = NamedThreads.boundedPool(2, QUEUE, "strata-auth");
        this.dummyHash = BCrypt.withDefaults().hash(10, "strata-dummy-password".toCharArray());
    }

    /**
     * Completes with true when {@code password} matches {@code hash} (null: unknown user, always false
     * after the same work), on the calling thread when the cache knows the answer, else on an auth thread.
     * Fails with {@link Busy} when the queue is full.
     */
    public CompletableFuture<Boolean> check(String user, String hash, String password) {
        String key = hash == null ? null : cacheKey(user, hash, password);
        if (key != null) {
            Long until = verified.get(key);
            if (until != null && until > clock.getAsLong()) return CompletableFuture.completedFuture(true);
        }
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    byte[] pw = password.getBytes(StandardCharsets.UTF_8);
                    boolean ok = BCrypt.verifyer().verify(pw, hash == null ? dummyHash
                            : hash.getBytes(StandardCharsets.UTF_8)).verified && hash != null;
                    if (ok) {
                        if (verified.size() >= CACHE_MAX) verified.clear();
                        verified.put(key, clock.getAsLong() + CACHE_MILLIS);
                    }
                    result.complete(ok);
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            result.completeExceptionally(new Busy());
        }
        return result;
    }

    private static String cacheKey(String user, String hash, String password) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (String s : new String[] {user, hash, password}) {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                d.update((byte) (b.length >>> 24));
                d.update((byte) (b.length >>> 16));
                d.update((byte) (b.length >>> 8));
                d.update((byte) b.length);
                d.update(b);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
