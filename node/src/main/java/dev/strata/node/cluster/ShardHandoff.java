package dev.strata.node.cluster;

import dev.strata.store.concurrent.NamedThreads;
import dev.strata.store.selfmetrics.Counter;
import dev.strata.store.selfmetrics.MetricsRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Make-before-break handoff, this node's side (dynamic membership): decides which shards this node
 * holds as the cluster's views change and its shards become ready.
 *
 * <p>Rule ({@link #step}), with {@code target} = the shards the assignment gives this node (none while
 * it leaves or is drained):
 * <ul>
 *   <li>every target shard is held (opened if it is not: recovery as at start, checkpoints then the Kafka tail);</li>
 *   <li>a held shard outside the target is released only when every owner the assignment gives it
 *       announces it ready: a planned move never leaves fewer ready owners than the assignment has (with
 *       R=1, never zero); a shard the assignment gives no owner (no eligible member left) is released at once;</li>
 *   <li>JOINING -> ACTIVE once this node holds a non-empty target, all of it ready.</li>
 * </ul>
 * Runs on its own thread: on each view, and every {@link #TICK} for readiness changes. Logs each move,
 * and counts handoffs (target shards opened as a new owner, counted when ready), re-replications (those
 * opened because a previous owner went down) and the time some shard was served by fewer live members
 * than {@code min(R, eligible members)}.
 */
public final class ShardHandoff implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ShardHandoff.class);
    /** How often readiness is looked at between views: short against a heartbeat, cheap (no I/O). */
    static final Duration TICK = Duration.ofMillis(250);

    /** The shards this node holds, as the handoff drives them (ShardsComponent in a node). */
    public interface LocalShardSet {
        /** The shards held now (open, opening or being recovered). */
        Set<Integer> desired();

        /** The held shards open and caught up. */
        Set<Integer> ready();

        /** Holds exactly these: opens the new ones, closes the others cleanly. */
        void setDesired(Set<Integer> shards);
    }

    /** A shard mid-handoff, as {@link #inProgress} sees it from a view. */
    public record Move(int shard, List<Integer> from, List<Integer> to, String state) {}

    /** A shard this node opened as a new owner, not ready yet. */
    private record Incoming(long epoch, boolean rereplication, long sinceNanos) {}

    private final ClusterMembership membership;
    private final LocalShardSet shards;
    private final LongSupplier nanos;
    private final ScheduledExecutorService thread;
    private final Counter handoffs;
    private final Counter rereplications;
    private final Counter underReplicatedSeconds;
    private final Map<Integer, Incoming> incoming = new HashMap<>();
    private volatile int underReplicated;
    private volatile boolean leaving;
    private boolean announcedActive;
    /** The assignment of the last view stepped on (null before the first): what was owned before. */
    private Assignment previous;
    private long lastStepNanos = -1;

    /**
     * @param nanos monotonic clock (tests pass their own)
     */
    public ShardHandoff(ClusterMembership membership, LocalShardSet shards, MetricsRegistry metrics, LongSupplier nanos) {
        this.membership = membership;
        this.shards = shards;
        this.nanos = nanos;
        this.handoffs = metrics.counter("strata_cluster_handoffs_total",
                "Shards this node took over as a new owner of the assignment and brought to ready (make-before-break moves in).");
        this.rereplications = metrics.counter("strata_cluster_rereplications_total",
                "Of strata_cluster_handoffs_total, the shards opened here because one of their owners went down (R restored).");
        this.underReplicatedSeconds = metrics.counter("strata_cluster_under_replicated_seconds_total",
                "Seconds during which, as this node saw the cluster, some shard was served (ready) by fewer live members than min(cluster.replicas, eligible members).");
        metrics.gauge("strata_cluster_under_replicated_shards",
                "Shards served (ready) by fewer live members than min(cluster.replicas, eligible members), in this node's latest view.",
                () -> underReplicated);
        this.thread = Executors.newSingleThreadScheduledExecutor(NamedThreads.named("strata-cluster-handoff"));
    }

    /** Follows membership: a step on each new view and every {@link #TICK}. */
    public void start() {
        membership.onChange(v -> submit());
        thread.scheduleWithFixedDelay(this::stepNow, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void submit() {
        try {
            thread.execute(this::stepNow);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed
        }
    }

    private void stepNow() {
        try {
            ClusterView v = membership.view();
            if (v != null) step(v);
        } catch (RuntimeException e) {
            LOG.error("cluster: handoff step failed; trying again in {} ms", TICK.toMillis(), e);
        }
    }

    /** What this node should hold under {@code view}: its assignment share, none while leaving or drained. */
    SortedSet<Integer> target(ClusterView view) {
        Member me = view.members().get(view.self());
        if (leaving || (me != null && me.state() == MemberState.DRAINED)) return new TreeSet<>();
        return new TreeSet<>(view.assignment().ownedBy(view.self()));
    }

    /** Applies the rule to one view (the handoff's thread; tests call it directly). */
    synchronized void step(ClusterView view) {
        Assignment a = view.assignment();
        SortedSet<Integer> target = target(view);
        Set<Integer> held = shards.desired();
        SortedSet<Integer> next = new TreeSet<>(target);
        for (int s : held) {
            if (target.contains(s)) continue;
            if (releasable(view, s)) {
                LOG.info("shard {}: released, owners {} ready (epoch {})", s, view.readyOwners(s), a.epoch());
            } else {
                next.add(s); // keep serving it until its owners are ready
            }
        }
        for (int s : target) {
            if (held.contains(s)) continue;
            // A new owner: the previous assignment did not give it this shard; on the first view (a node just
            // started), when other members serve it (this node takes it over, also when it returns to its own).
            boolean newOwner = previous != null ? !previous.owns(view.self(), s) : !view.servingMembers(s).isEmpty();
            if (newOwner) {
                boolean rereplication = previous != null && lostAnOwner(view, s);
                incoming.put(s, new Incoming(a.epoch(), rereplication, nanos.getAsLong()));
                LOG.info("shard {}: opening as new owner (epoch {}){}", s, a.epoch(),
                        rereplication ? ", replacing a down owner (re-replication)" : "");
            } else {
                LOG.info("shard {}: opening as owner (epoch {})", s, a.epoch());
            }
        }
        shards.setDesired(next);
        Set<Integer> ready = shards.ready();
        incoming.keySet().removeIf(s -> {
            if (!target.contains(s)) return true; // moved elsewhere before it was ready
            if (!ready.contains(s)) return false;
            Incoming in = incoming.get(s);
            handoffs.inc();
            if (in.rereplication()) rereplications.inc();
            LOG.info("shard {}: ready as new owner after {} ms (epoch {})", s, (nanos.getAsLong() - in.sinceNanos()) / 1_000_000, in.epoch());
            return true;
        });
        if (!leaving && !target.isEmpty() && ready.containsAll(target) && !announcedActive) {
            announcedActive = true;
            LOG.info("cluster: node {} holds its {} shards, all ready: active (epoch {})", view.self(), target.size(), a.epoch());
            membership.announce(MemberState.ACTIVE);
        }
        countUnderReplication(view);
        previous = a;
    }

    /**
     * The assignment no longer lists this node for {@code shard} (while it still does, a leaving or
     * drained node waits for the next assignment), and every owner it gives the shard announces it ready
     * (none: nobody is left to take it).
     */
    static boolean releasable(ClusterView view, int shard) {
        return !view.assignment().owns(view.self(), shard)
                && view.readyOwners(shard).size() == view.assignment().owners(shard).length;
    }

    /** True when an owner of {@code shard} in the previous assignment is down now: this open restores R. */
    private boolean lostAnOwner(ClusterView view, int shard) {
        for (int o : previous.owners(shard)) {
            Member m = view.members().get(o);
            if (m == null || m.state() == MemberState.DOWN) return true;
        }
        return false;
    }

    private void countUnderReplication(ClusterView view) {
        int wanted = Math.min(view.assignment().replicas(), view.eligible().size());
        int under = 0;
        for (int s = 0; s < view.assignment().shards(); s++) {
            if (view.servingMembers(s).size() < wanted) under++; // live members serving it, old owners mid-handoff included
        }
        long now = nanos.getAsLong();
        if (lastStepNanos >= 0 && underReplicated > 0) underReplicatedSeconds.inc((now - lastStepNanos) / 1e9);
        lastStepNanos = now;
        underReplicated = under;
    }

    /** Shards with fewer ready owners than wanted, as of the last step. */
    int underReplicated() {
        return underReplicated;
    }

    long handoffs() {
        return (long) handoffs.value();
    }

    long rereplications() {
        return (long) rereplications.value();
    }

    double underReplicatedSeconds() {
        return underReplicatedSeconds.value();
    }

    /**
     * Leaves the cluster's assignment (SIGTERM): announces LEAVING, then waits, at most {@code timeout},
     * until every shard this node holds is ready on its new owners and released. Does not wait when no
     * other member is eligible (nobody could take the shards over). Logs what it waited for.
     *
     * @return true when everything was handed over (or nothing needed to be)
     */
    public boolean leave(Duration timeout) throws InterruptedException {
        leaving = true;
        membership.announce(MemberState.LEAVING);
        ClusterView v = membership.view();
        List<Member> others = new ArrayList<>();
        for (Member m : v.eligible()) if (m.ordinal() != v.self()) others.add(m);
        Set<Integer> held = shards.desired();
        if (held.isEmpty()) {
            LOG.info("cluster: leaving; this node holds no shard, nothing to hand over");
            return true;
        }
        if (others.isEmpty()) {
            LOG.info("cluster: leaving; no other eligible member to take shards {} over, not waiting", held);
            return true;
        }
        LOG.info("cluster: leaving; waiting up to {} s for shards {} to be ready on their new owners (eligible: {})",
                timeout.toSeconds(), held, others.stream().map(Member::ordinal).toList());
        long t0 = System.nanoTime(); // real time: the wait is real whatever clock the metrics use
        long deadline = t0 + timeout.toNanos();
        while (true) {
            submit();
            held = shards.desired();
            if (held.isEmpty()) {
                LOG.info("cluster: left; every shard handed over in {} ms", (System.nanoTime() - t0) / 1_000_000);
                return true;
            }
            if (System.nanoTime() >= deadline) break;
            Thread.sleep(100);
        }
        ClusterView last = membership.view();
        List<String> why = new ArrayList<>();
        for (int s : held) {
            why.add("shard " + s + ": owners " + java.util.Arrays.toString(last.assignment().owners(s)) + ", ready " + last.readyOwners(s));
        }
        LOG.warn("cluster: leave timed out after {} s (cluster.leave-timeout); not yet handed over: {}", timeout.toSeconds(), why);
        return false;
    }

    /** The shards mid-handoff in {@code view}: new owners not ready yet ({@code recovering}), or old owners still serving ({@code releasing}). */
    public static List<Move> inProgress(ClusterView view) {
        List<Move> out = new ArrayList<>();
        Assignment a = view.assignment();
        for (int s = 0; s < a.shards(); s++) {
            List<Integer> owners = new ArrayList<>();
            for (int o : a.owners(s)) owners.add(o);
            List<Integer> to = new ArrayList<>(owners);
            to.removeAll(view.readyOwners(s));
            List<Integer> from = new ArrayList<>(view.servingMembers(s));
            from.removeAll(owners);
            if (to.isEmpty() && from.isEmpty()) continue;
            out.add(new Move(s, from, to, to.isEmpty() ? "releasing" : "recovering"));
        }
        return out;
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
