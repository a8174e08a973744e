package dev.strata.node.security;

import java.util.Locale;

/**
 * What an authenticated user may do on the public port. A plain Prometheus web configuration gives
 * every user every role; Strata's {@code user_roles} narrows them (docs/security.md).
 */
public enum Role {
    /** Remote write 1.0/2.0 and Influx line protocol. */
    WRITE,
    /** The Prometheus query API: queries, series, labels, label values, metadata, build information. */
    READ,
    /** Status pages that reveal the node's configuration and cluster layout ({@code /api/v1/status/*}). */
    ADMIN;

    /** The name used in the web configuration file. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the accepted values */
    static Role parse(String s) {
        for (Role r : values()) {
            if (r.configName().equals(s)) return r;
        }
        throw new IllegalArgumentException("unknown role '" + s + "'; roles are read, write, admin");
    }
}
