package dev.strata.node;

/** Build identity reported by {@code /api/v1/status/buildinfo}; filled from the jar manifest when present. */
final class Version {
    static final String VERSION = orDefault(Version.class.getPackage().getImplementationVersion(), "0.1.0-SNAPSHOT");
    static final String REVISION = System.getProperty("strata.revision", "unknown");
    static final String BRANCH = System.getProperty("strata.branch", "main");
    static final String BUILD_DATE = System.getProperty("strata.build-date", "unknown");

    private Version() {}

    private static String orDefault(String v, String d) {
        return v == null || v.isEmpty() ? d : v;
    }
}
