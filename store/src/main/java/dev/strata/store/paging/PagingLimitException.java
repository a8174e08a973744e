package dev.strata.store.paging;

/** A query wanted more chunks or bytes from storage than its {@link PageBudget} allows. */
public final class PagingLimitException extends RuntimeException {
    public PagingLimitException(String message) {
        super(message);
    }
}
