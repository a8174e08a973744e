package dev.strata.node.cluster;

import dev.strata.node.cluster.membership.Membership;
import dev.strata.store.concurrent.NamedThreads;
import dev.strata.store.selfmetrics.MetricsRegistry;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's part in a dynamic cluster (no {@code cluster.nodes}): once the Cassandra connector is ready,
 * on its own thread (the node's start does not wait), joins through {@link Membership}, then feeds every
 * view to the {@link ClusterTopology} (routing, status) and runs the {@link ShardHandoff} (which shards
 * this node holds). Until the first view the node holds no shard and is not ready.
 *
 * <p>A gateway-only node ({@code node.role=gateway}) joins too, announcing {@link MemberState#LEAVING}
 * for as long as it runs: it gets views (so it routes queries to the current owners) and is never
 * eligible for replica slots, and the status page lists it. Not joining would leave it without views.
 *
 * <p>Leaving (SIGTERM): {@link #handOver} announces LEAVING and waits for this node's shards to be
 * ready elsewhere; then {@link #leave} deletes its member row (while the Cassandra session is still open),
 * and the node's components stop.
 */
public final class DynamicCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DynamicCluster.class);

    private final ClusterTopology topology;
    private final ShardHandoff.LocalShardSet shards;
    private final MetricsRegistry metrics;
    private final BooleanSupplier cassandraReady;
    private final Supplier<Membership> factory;
    private final boolean gatewayOnly;
    private final Duration retry;
    private final ExecutorService joiner = Executors.newSingleThreadExecutor(NamedThreads.named("strata-cluster-join"));
    private volatile Membership membership;
    private volatile ShardHandoff handoff;
    private volatile boolean closed;

    /**
     * @param factory  builds a membership (called on the join thread once Cassandra is ready; again after a failed join)
     * @param retry    pause before joining again after a failure (the failure timeout: a crashed process with
     *                 this ordinal has expired by then)
     */
    public DynamicCluster(ClusterTopology topology, ShardHandoff.LocalShardSet shards, MetricsRegistry metrics,
                          BooleanSupplier cassandraReady, Supplier<Membership> factory, boolean gatewayOnly, Duration retry) {
        this.topology = topology;
        this.shards = shards;
        this.metrics = metrics;
        this.cassandraReady = cassandraReady;
        this.factory = factory;
        this.gatewayOnly = gatewayOnly;
        this.retry = retry;
    }

    public void start() {
        joiner.execute(this::join);
    }

    private void join() {
        for (int attempt = 1; !closed; attempt++) {
            Membership m = null;
            try {
                while (!cassandraReady.getAsBoolean()) {
                    if (closed) return;
                    Thread.sleep(100);
                }
                m = factory.get();
                if (gatewayOnly) m.announce(MemberState.LEAVING);
                m.onChange(topology::update);
                m.start();
                synchronized (this) {
                    if (closed) {
                        m.close();
                        return;
                    }
                    topology.update(m.view());
                    membership = m;
                    if (!gatewayOnly) {
                        handoff = new ShardHandoff(m, shards, metrics, System::nanoTime);
                        handoff.start();
                    }
                }
                LOG.info("cluster: node {} joined{}; assignment epoch {}", topology.self(),
                        gatewayOnly ? " as a gateway (never eligible for shards)" : "", m.view().assignment().epoch());
                return;
            } catch (InterruptedException e) {
                if (m != null) m.close();
                return;
            } catch (RuntimeException e) {
                if (m != null) m.close();
                if (closed) return;
                LOG.error("cluster: joining failed (attempt {}); trying again in {} s: {}", attempt, retry.toSeconds(), e.getMessage(), e);
                try {
                    Thread.sleep(retry.toMillis());
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** True once joined (the first view is in the topology). */
    public boolean joined() {
        return membership != null;
    }

    /** Membership, once joined (null before): the admin drain calls use it. */
    public ClusterMembership membership() {
        return membership;
    }

    /**
     * SIGTERM's first part: announces LEAVING and waits, at most {@code timeout}, for this node's shards
     * to be ready on their new owners (not at all when no other member is eligible). Not joined yet:
     * nothing to hand over.
     */
    public void handOver(Duration timeout) throws InterruptedException {
        ShardHandoff h = handoff;
        if (h == null) {
            LOG.info("cluster: stopping before joining; nothing to hand over");
            return;
        }
        h.leave(timeout);
        h.close(); // nothing opens again while the node stops
    }

    /** SIGTERM's second part, after {@link #handOver} and before the Cassandra session closes: stops heartbeating, deletes this node's row. */
    public void leave() {
        stopJoining();
        if (handoff != null) handoff.close();
        if (membership != null) {
            try {
                membership.leave();
                LOG.info("cluster: node {} left the cluster", topology.self());
            } catch (RuntimeException e) {
                LOG.warn("cluster: deleting this node's member row failed; it expires after the failure timeout: {}", e.toString());
                membership.close();
            }
        }
    }

    /** Ends a join under way (a join finishing meanwhile sees {@code closed} and undoes itself). */
    private void stopJoining() {
        synchronized (this) {
            closed = true;
        }
        joiner.shutdownNow();
        try {
            joiner.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops without leaving: the row expires after the failure timeout, as after a crash. */
    @Override
    public void close() {
        stopJoining();
        if (handoff != null) handoff.close();
        if (membership != null) membership.close();
    }
}
