package dev.strata.query.api;

/**
 * What {@code /api/v1/status/buildinfo} reports, in Prometheus's field names. {@code goVersion} holds
 * the runtime's version (Strata runs on a JVM, e.g. {@code java17.0.15}).
 */
public record BuildInfo(String version, String revision, String branch, String buildUser, String buildDate,
                        String goVersion) {

    /** Build info with the running JVM's version as the runtime version. */
    public static BuildInfo of(String version, String revision, String branch, String buildUser, String buildDate) {
        return new BuildInfo(version, revision, branch, buildUser, buildDate, "java" + System.getProperty("java.version"));
    }
}
