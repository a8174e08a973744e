package dev.strata.ingest.validate;

import dev.strata.ingest.protocol.Utf8Bytes;
import dev.strata.ingest.protocol.WriteBatch;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a decoded {@link WriteBatch} against Prometheus's rules and the configured
 * {@link ValidationLimits}. The batch arrives normalised by {@link WriteBatch#endSeries()} (empty
 * values dropped, labels sorted), so duplicates are adjacent. Out-of-order samples within a series
 * are fine (the store decides). Thread safe (stateless apart from the immutable limits).
 */
public final class BatchValidator {
    private static final byte[] NAME = "__name__".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final ValidationLimits limits;

    public BatchValidator(ValidationLimits limits) {
        this.limits = limits;
    }

    public ValidationLimits limits() {
        return limits;
    }

    public ValidationResult validate(WriteBatch b, long nowMs) {
        List<String> errors = null;
        int total = 0;
        long oldest = limits.maxSampleAge().isZero() ? Long.MIN_VALUE : nowMs - limits.maxSampleAge().toMillis();
        long newest = nowMs + limits.maxFutureSkew().toMillis();
        for (int s = 0; s < b.seriesCount(); s++) {
            String problem = seriesProblem(b, s);
            if (problem == null) problem = sampleProblem(b, s, oldest, newest);
            if (problem != null) {
                if (errors == null) errors = new ArrayList<>();
                if (errors.size() < limits.maxErrorsReported()) errors.add(problem);
                total++;
            }
        }
        return total == 0 ? ValidationResult.OK : new ValidationResult(List.copyOf(errors), total);
    }

    private String seriesProblem(WriteBatch b, int s) {
        int n = b.labelCount(s);
        if (n == 0) return "series #" + s + " has no labels";
        if (n > limits.maxLabelsPerSeries()) {
            return "series " + b.describe(s) + " has " + n + " labels, more than the limit of " + limits.maxLabelsPerSeries();
        }
        byte[] bytes = b.bytes();
        boolean hasName = false;
        int start = b.labelStart(s);
        for (int l = start; l < start + n; l++) {
            int no = b.nameOff(l), nl = b.nameLen(l), vo = b.valueOff(l), vl = b.valueLen(l);
            if (nl == 0) return "series " + b.describe(s) + " has an empty label name";
            if (!Utf8Bytes.isValid(bytes, no, nl)) return "series " + b.describe(s) + " has a label name that is not valid UTF-8";
            if (!Utf8Bytes.isValid(bytes, vo, vl)) {
                return "series " + b.describe(s) + ": the value of label \"" + b.name(l) + "\" is not valid UTF-8";
            }
            if (nl > limits.maxLabelNameBytes()) {
                return "series " + b.describe(s) + ": label name of " + nl + " bytes exceeds the limit of "
                        + limits.maxLabelNameBytes() + " bytes";
            }
            if (vl > limits.maxLabelValueBytes()) {
                return "series " + b.describe(s) + ": the value of label \"" + b.name(l) + "\" has " + vl
                        + " bytes, more than the limit of " + limits.maxLabelValueBytes();
            }
            boolean isName = Utf8Bytes.equals(bytes, no, nl, NAME, 0, NAME.length);
            if (isName) hasName = true;
            if (limits.nameValidation() == NameValidation.LEGACY) {
                if (isName && !legacy(bytes, vo, vl, true)) {
                    return "series " + b.describe(s) + ": invalid metric name \"" + b.labelValue(l) + "\"";
                }
                if (!isName && !legacy(bytes, no, nl, false)) {
                    return "series " + b.describe(s) + ": invalid label name \"" + b.name(l) + "\"";
                }
            }
            if (l > start && Utf8Bytes.equals(bytes, b.nameOff(l - 1), b.nameLen(l - 1), bytes, no, nl)) {
                return "series " + b.describe(s) + " has duplicate label name \"" + b.name(l) + "\"";
            }
        }
        if (!hasName) return "series " + b.describe(s) + " has no metric name (__name__ label)";
        return null;
    }

    private static String sampleProblem(WriteBatch b, int s, long oldest, long newest) {
        for (int i = b.sampleStart(s), e = i + b.sampleCount(s); i < e; i++) {
            long t = b.timestamp(i);
            if (t < oldest) {
                return "series " + b.describe(s) + ": sample timestamp " + t + " is older than the limit ("
                        + oldest + ")";
            }
            if (t > newest) {
                return "series " + b.describe(s) + ": sample timestamp " + t + " is too far in the future (limit "
                        + newest + ")";
            }
            if (b.histogram(i) != null) {
                try {
                    b.histogram(i).checkCountsForIngest();
                } catch (IllegalArgumentException bad) {
                    return "series " + b.describe(s) + ": native histogram at " + t + ": " + bad.getMessage();
                }
            }
        }
        return null;
    }

    private static boolean legacy(byte[] b, int off, int len, boolean metric) {
        if (len == 0) return false;
        for (int i = 0; i < len; i++) {
            int c = b[off + i] & 0xFF;
            boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || (i > 0 && c >= '0' && c <= '9') || (metric && c == ':');
            if (!ok) return false;
        }
        return true;
    }
}
