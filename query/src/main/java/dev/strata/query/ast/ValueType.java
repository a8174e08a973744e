package dev.strata.query.ast;

/** The four PromQL value types, named as Prometheus names them in error messages. */
public enum ValueType {
    NONE("none"), SCALAR("scalar"), VECTOR("instant vector"), MATRIX("range vector"), STRING("string");

    private final String display;

    ValueType(String display) {
        this.display = display;
    }

    /** Prometheus's name of the type, e.g. "range vector". */
    public String display() {
        return display;
    }

    /** The name used in the HTTP API's resultType field. */
    public String apiName() {
        return switch (this) {
            case SCALAR -> "scalar";
            case VECTOR -> "vector";
            case MATRIX -> "matrix";
            case STRING -> "string";
            case NONE -> "none";
        };
    }
}
