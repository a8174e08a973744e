package dev.strata.ingest.validate;

import java.util.List;

/** The outcome of validating a request: the first few problems and how many there were in total. */
public record ValidationResult(List<String> firstErrors, int totalErrors) {
    public static final ValidationResult OK = new ValidationResult(List.of(), 0);

    public boolean ok() {
        return totalErrors == 0;
    }

    /** One-paragraph message for an HTTP 400 body. */
    public String message() {
        StringBuilder sb = new StringBuilder("request rejected, nothing was written: ");
        sb.append(totalErrors).append(totalErrors == 1 ? " problem" : " problems");
        for (String e : firstErrors) sb.append("\n").append(e);
        if (totalErrors > firstErrors.size()) sb.append("\n... and ").append(totalErrors - firstErrors.size()).append(" more");
        return sb.toString();
    }
}
