package dev.strata.node.security;

/** What a route on the public port requires, when authentication is configured. */
public enum Access {
    /** Nobody is asked for credentials: the Kubernetes probes {@code /-/healthy} and {@code /-/ready}. */
    OPEN(null),
    /** Any valid user, whatever their roles: {@code /metrics}, as Prometheus protects it. */
    ANY_USER(null),
    READ(Role.READ),
    WRITE(Role.WRITE),
    ADMIN(Role.ADMIN);

    private final Role role;

    Access(Role role) {
        this.role = role;
    }

    /** The role a user needs, or null for {@link #OPEN} and {@link #ANY_USER}. */
    public Role role() {
        return role;
    }
}
