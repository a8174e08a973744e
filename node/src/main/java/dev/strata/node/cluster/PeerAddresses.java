package dev.strata.node.cluster;

import java.util.List;

/**
 * Where each node's cluster port is ({@code cluster.port}, node-to-node traffic only): either a static list (entry i = ordinal i) or a template where
 * {@code {ordinal}} and {@code {namespace}} are substituted, e.g.
 * {@code strata-{ordinal}.strata-headless.{namespace}.svc:9091}. Immutable.
 */
public final class PeerAddresses {
    private final List<String> peers;
    private final String template;
    private final String namespace;
    private final int nodes;

    /**
     * @throws IllegalArgumentException when the static list has the wrong length, or neither is given
     *                                  for a cluster of more than one node
     */
    public PeerAddresses(List<String> peers, String template, String namespace, int nodes) {
        this.peers = List.copyOf(peers);
        this.template = template;
        this.namespace = namespace;
        this.nodes = nodes;
        if (!this.peers.isEmpty() && this.peers.size() != nodes) {
            throw new IllegalArgumentException("cluster.peers lists " + this.peers.size()
                    + " addresses but cluster.nodes=" + nodes + "; give one host:port per ordinal");
        }
        if (this.peers.isEmpty() && template.isBlank() && nodes > 1) {
            throw new IllegalArgumentException("cluster.nodes=" + nodes + " needs cluster.peers or cluster.peer-template");
        }
        if (this.peers.isEmpty() && !template.isBlank() && !template.contains("{ordinal}")) {
            throw new IllegalArgumentException("cluster.peer-template '" + template + "' does not contain {ordinal}");
        }
    }

    /** host:port of the node with this ordinal. */
    public String of(int ordinal) {
        if (ordinal < 0 || ordinal >= nodes) throw new IllegalArgumentException("ordinal " + ordinal + " not in [0, " + nodes + ")");
        if (!peers.isEmpty()) return peers.get(ordinal);
        return template.replace("{ordinal}", Integer.toString(ordinal)).replace("{namespace}", namespace);
    }

    public int nodes() {
        return nodes;
    }
}
