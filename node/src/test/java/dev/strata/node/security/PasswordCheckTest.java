package dev.strata.node.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PasswordCheckTest {
    @Test
    void verifiesAgainstBcryptAndRemembersOnlySuccessesBriefly() throws Exception {
        AtomicLong now = new AtomicLong(1_000_000);
        String hash = BCrypt.withDefaults().hashToString(10, "s3cret".toCharArray());
        // htpasswd writes $2y$: the same algorithm
        String hash2y = "$2y$" + hash.substring(4);
        try (PasswordCheck check = new PasswordCheck(now::get)) {
            assertTrue(check.check("alice", hash, "s3cret").get(5, TimeUnit.SECONDS));
            assertTrue(check.check("alice", hash2y, "s3cret").get(5, TimeUnit.SECONDS));
            assertFalse(check.check("alice", hash, "s3cret ").get(5, TimeUnit.SECONDS));
            assertFalse(check.check("nobody", null, "s3cret").get(5, TimeUnit.SECONDS), "an unknown user never passes");
            // Remembered: answered on the calling thread, no bcrypt.
            assertTrue(check.check("alice", hash, "s3cret").isDone());
            // Another user with the same password and hash is a different key.
            assertFalse(check.check("bob", hash, "s3cret").isDone());
            // A new hash for the user (password changed in the file) is not served from the cache.
            String changed = BCrypt.withDefaults().hashToString(10, "n3w".toCharArray());
            assertFalse(check.check("alice", changed, "s3cret").get(5, TimeUnit.SECONDS));
            // Expired after CACHE_MILLIS: checked again.
            now.addAndGet(PasswordCheck.CACHE_MILLIS + 1);
            assertFalse(check.check("alice", hash, "s3cret").isDone());
        }
    }
}
