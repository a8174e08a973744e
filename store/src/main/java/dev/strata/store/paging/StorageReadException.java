package dev.strata.store.paging;

/** Chunks could not be read from storage (unavailable, timed out, corrupt): the read fails, never returns partial data. */
public final class StorageReadException extends RuntimeException {
    public StorageReadException(String message, Throwable cause) {
        super(message, cause);
    }
}
