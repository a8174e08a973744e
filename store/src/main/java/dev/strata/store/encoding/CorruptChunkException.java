package dev.strata.store.encoding;

/**
 * A chunk's bytes cannot be decoded: bad magic or version, unknown codec id, checksum mismatch,
 * truncated payload, or values inconsistent with the header. The message names what is wrong and
 * with what sizes, e.g. {@code "checksum mismatch: expected=0x1a2b3c4d actual=0x00ff00ff"}.
 */
public final class CorruptChunkException extends RuntimeException {
    public CorruptChunkException(String message) {
        super(message);
    }
}
