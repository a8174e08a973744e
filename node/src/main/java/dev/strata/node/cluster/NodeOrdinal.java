package dev.strata.node.cluster;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * This node's ordinal: the configured {@code node.ordinal} when it is set (>= 0), else the number at
 * the end of the host name, as a StatefulSet names its pods ({@code strata-3} -> 3).
 */
public final class NodeOrdinal {
    private static final Pattern TRAILING_NUMBER = Pattern.compile(".*-(\\d{1,9})");

    private NodeOrdinal() {}

    /**
     * @param configured {@code node.ordinal}; -1 means "from the host name"
     * @param hostname   the host name (first label used), e.g. {@code strata-3} or {@code strata-3.strata-headless}
     * @param nodes      {@code cluster.nodes}; the result must be below it
     * @throws IllegalArgumentException naming the host name when no ordinal can be derived, or when out of range
     */
    public static int resolve(int configured, String hostname, int nodes) {
        int ordinal;
        if (configured >= 0) {
            ordinal = configured;
        } else if (nodes == 1) {
            ordinal = 0; // a single node owns everything, whatever the host is called
        } else {
            Optional<Integer> fromHost = fromHostname(hostname);
            if (fromHost.isPresent()) {
                ordinal = fromHost.get();
            } else {
                throw new IllegalArgumentException("node.ordinal is unset and the host name '" + hostname
                        + "' does not end in -<number> (as StatefulSet pods do, e.g. strata-3); set node.ordinal");
            }
        }
        if (ordinal >= nodes) {
            throw new IllegalArgumentException("node ordinal " + ordinal + " is not below cluster.nodes=" + nodes);
        }
        return ordinal;
    }

    /** The number after the last '-' of the host name's first label, if there is one. */
    public static Optional<Integer> fromHostname(String hostname) {
        if (hostname == null) return Optional.empty();
        String first = hostname.split("\\.", 2)[0];
        Matcher m = TRAILING_NUMBER.matcher(first);
        return m.matches() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    }
}
