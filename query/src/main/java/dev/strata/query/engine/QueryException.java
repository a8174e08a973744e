package dev.strata.query.engine;

/**
 * A query failed. {@link #errorType()} is Prometheus's API errorType: bad_data, timeout, execution,
 * canceled or internal. Parse errors are {@link dev.strata.query.parser.ParseException} (bad_data).
 */
public class QueryException extends RuntimeException {
    private final String errorType;

    public QueryException(String errorType, String message) {
        super(message);
        this.errorType = errorType;
    }

    public String errorType() {
        return errorType;
    }

    /** Evaluation failed because of the data or the query (e.g. duplicate label sets). */
    public static QueryException execution(String msg) {
        return new QueryException("execution", msg);
    }

    public static final class TooManySamples extends QueryException {
        public TooManySamples() {
            super("execution", "query processing would load too many samples into memory in query execution");
        }
    }

    public static final class Timeout extends QueryException {
        public Timeout(String where) {
            super("timeout", "query timed out in " + where);
        }
    }

    public static final class Canceled extends QueryException {
        public Canceled(String where) {
            super("canceled", "query was canceled in " + where);
        }
    }
}
