package dev.strata.node.cli;

/** Bad command-line arguments: printed with the command's usage line, exit code 2. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
