package dev.strata.node.cluster.membership;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.strata.node.cluster.Assignment;
import dev.strata.node.cluster.AssignmentPlanner;
import dev.strata.node.cluster.ClusterMembership;
import dev.strata.node.cluster.ClusterView;
import dev.strata.node.cluster.Member;
import dev.strata.node.cluster.MemberState;
import dev.strata.store.cassandra.Consistency;
import dev.strata.store.concurrent.NamedThreads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster membership over Cassandra (docs/format/membership.md): this node's heartbeat in the
 * {@code members} table, everyone's rows read back into a {@link ClusterView}, and the shard
 * assignment in the {@code cluster_assignment} row, which every node may propose and which changes
 * only by lightweight transaction, so all nodes follow the same assignment.
 *
 * <p>{@link #start()} refuses a second live process with this node's ordinal, writes the first
 * heartbeat, builds the first view (proposing an assignment if the stored one is missing or was made
 * for other members), all on the caller's thread, then hands over to one named thread,
 * {@code strata-membership}, which every heartbeat interval:
 * <ol>
 *   <li>writes the heartbeat: instance id, announced state, ready shards (from the supplier) and the
 *       time, with a TTL of about the failure timeout (failure detection needs no clocks to agree: a member
 *       whose columns expired is {@link MemberState#DOWN}; the TTL is
 *       {@link MembershipSettings#heartbeatTtlSeconds()}), address and zone without TTL;</li>
 *   <li>reads the assignment row, then the members (in that order: a proposal was made from members
 *       heartbeating before it, so a node that sees the proposal sees those members too, and does not
 *       undo it from an older read);</li>
 *   <li>builds the members ({@link ViewBuilder}); if the eligible ones (alive, joining or active, not
 *       drained) differ from those the row was made for, asks the planner for the next assignment and
 *       writes it by LWT ({@code IF epoch = } the epoch it read); a proposer that loses re-reads the row
 *       at SERIAL and follows it, so each change of the eligible set costs one epoch;</li>
 *   <li>publishes the view and calls the listeners when it differs from the last one.</li>
 * </ol>
 *
 * <p>When Cassandra cannot be reached, the failures are logged with back-off (the first with its
 * cause, then at growing gaps up to a minute) and the last view is kept: this node cannot tell what
 * changed meanwhile, and the other nodes see it {@link MemberState#DOWN} once its heartbeat has been
 * missing for the failure timeout, and reassign its shards. It comes back as it announces again.
 *
 * <p>{@link #close()} stops the thread and leaves the row to expire (a crash looks the same);
 * {@link #leave()} also deletes the row (keeping an operator's drained mark), which the node calls after
 * handing its shards over on a clean leave. The session is the caller's.
 */
public final class Membership implements ClusterMembership, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Membership.class);
    private static final Duration LOG_GAP_MAX = Duration.ofMinutes(1);

    private final MembershipSettings settings;
    private final AssignmentPlanner planner;
    private final Supplier<Set<Integer>> readyShards;
    private final MembersTable members;
    private final AssignmentTable assignments;
    private final String instance = UUID.randomUUID().toString();
    private final ScheduledExecutorService timer;
    private volatile Thread timerThread;
    private final List<Consumer<ClusterView>> listeners = new CopyOnWriteArrayList<>();
    private volatile MemberState state = MemberState.JOINING;
    private volatile ClusterView view;
    private volatile boolean started;
    private volatile boolean closed;

    // Owned by whichever thread runs a refresh: start()'s caller, then the membership thread.
    private int failures;
    private long failureGapMs;
    private long nextFailureLogMs;
    private long nextConflictLogMs;
    private boolean replicasWarned;
    private final Set<String> reportedProblems = new HashSet<>();

    /**
     * @param consistency  heartbeats and marks are written at {@code write()}, rows read at {@code read()};
     *                     assignment transactions run at SERIAL and commit at {@code write()}
     * @param readyShards  the shards this node has open and caught up, asked at every heartbeat
     */
    public Membership(CqlSession session, String keyspace, Consistency consistency, MembershipSettings settings,
                      AssignmentPlanner planner, Supplier<Set<Integer>> readyShards) {
        this.settings = settings;
        this.planner = planner;
        this.readyShards = readyShards;
        // A request that has not answered within the failure timeout is worthless as a heartbeat.
        this.members = new MembersTable(session, keyspace, consistency, settings.failureTimeout());
        this.assignments = new AssignmentTable(session, keyspace, consistency, settings.failureTimeout());
        ThreadFactory named = NamedThreads.named("strata-membership");
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = named.newThread(r);
            timerThread = t;
            return t;
        });
    }

    /** This process's instance id (a random UUID): tells two processes with the same ordinal apart. */
    public String instanceId() {
        return instance;
    }

    /**
     * Joins the cluster (see the class comment), then heartbeats on the membership thread.
     *
     * @throws IllegalStateException when another live process heartbeats with this node's ordinal, or
     *                               the stored assignment has another shard count than this node
     * @throws RuntimeException      the driver's exception when Cassandra does not answer
     */
    public synchronized void start() throws InterruptedException {
        if (started) throw new IllegalStateException("membership already started");
        if (closed) throw new IllegalStateException("membership is closed");
        refuseLiveDuplicate();
        beat();
        refresh();
        started = true;
        long interval = settings.heartbeatInterval().toMillis();
        timer.scheduleWithFixedDelay(this::tick, interval, interval, TimeUnit.MILLISECONDS);
        LOG.info("membership: node {} ({}, zone '{}', instance {}) joined as {}; assignment epoch {}", settings.self(),
                settings.advertiseAddress(), settings.zone(), instance, state.text(), view.assignment().epoch());
    }

    @Override
    public ClusterView view() {
        return view;
    }

    @Override
    public void onChange(Consumer<ClusterView> listener) {
        listeners.add(listener);
    }

    /**
     * Sets the state this node announces and, once started, heartbeats at once (waiting for that
     * heartbeat up to the failure timeout unless called on the membership thread, e.g. by a listener).
     *
     * @throws IllegalArgumentException for DOWN or DRAINED, which the cluster decides, not the node
     */
    @Override
    public void announce(MemberState newState) {
        if (newState == MemberState.DOWN || newState == MemberState.DRAINED) {
            throw new IllegalArgumentException("a node announces joining, active or leaving, not " + newState.text());
        }
        MemberState old = state;
        state = newState;
        if (old != newState) LOG.info("membership: node {} announces {}", settings.self(), newState.text());
        if (!started || closed) return;
        Future<?> f = timer.submit(this::tick);
        if (Thread.currentThread() == timerThread) return;
        try {
            f.get(settings.failureTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("membership: announcing {} did not complete in {} ms; the next heartbeat carries it", newState.text(),
                    settings.failureTimeout().toMillis());
        }
    }

    /**
     * Writes node {@code ordinal}'s drained mark (only that column) on the caller's thread, then has the
     * membership thread read the cluster again.
     *
     * @throws IllegalArgumentException when the members table has no row for {@code ordinal}
     * @throws RuntimeException         the driver's exception when Cassandra does not answer
     */
    @Override
    public void setDrained(int ordinal, boolean drained) {
        if (members.read(ordinal).isEmpty()) {
            throw new IllegalArgumentException("no node with ordinal " + ordinal + " is a member of the cluster");
        }
        members.setDrained(ordinal, drained);
        LOG.info("membership: node {} {} by node {}", ordinal, drained ? "drained" : "undrained", settings.self());
        if (started && !closed) timer.submit(this::tick);
    }

    /** Stops heartbeating and deletes this node's row (an operator's drained mark stays). For a clean leave. */
    public void leave() {
        close();
        members.leave(settings.self());
        LOG.info("membership: node {} left the cluster (row deleted)", settings.self());
    }

    /** Stops the membership thread; the row stays and expires after the failure timeout. Idempotent. */
    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        if (Thread.currentThread() == timerThread) return; // called by a listener: the thread ends after it
        try {
            if (!timer.awaitTermination(settings.failureTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("membership: thread of node {} did not stop within {} ms", settings.self(), settings.failureTimeout().toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A live row with this ordinal and another instance id is either a live process or what a crashed
     * one left until its TTL runs out. Its heartbeat tells them apart: watched for three heartbeat
     * intervals, a live process writes a new one; a crashed one's stays the same (or expires).
     */
    private void refuseLiveDuplicate() throws InterruptedException {
        Optional<MemberRow> first = members.read(settings.self());
        if (first.isEmpty() || !first.get().alive() || instance.equals(first.get().instance())) return;
        long deadline = System.nanoTime() + settings.heartbeatInterval().multipliedBy(3).toNanos();
        long pause = Math.max(1, settings.heartbeatInterval().toMillis() / 4);
        while (System.nanoTime() < deadline) {
            Thread.sleep(pause);
            Optional<MemberRow> now = members.read(settings.self());
            if (now.isEmpty() || !now.get().alive()) return;
            if (!now.get().heartbeat().equals(first.get().heartbeat())) {
                throw new IllegalStateException("node ordinal " + settings.self() + " is in use: a live node at "
                        + now.get().address() + " (instance " + now.get().instance() + ") heartbeats as node " + settings.self()
                        + "; give this node another ordinal (node.ordinal) or stop that one");
            }
        }
        LOG.info("membership: node {} takes over from instance {} at {}, which stopped heartbeating", settings.self(),
                first.get().instance(), first.get().address());
    }

    private void tick() {
        if (closed) return;
        try {
            beat();
            refresh();
            if (failures > 0) {
                LOG.info("membership: node {} reaches Cassandra again after {} failed heartbeats", settings.self(), failures);
            }
            failures = 0;
            failureGapMs = 0;
        } catch (RuntimeException e) {
            if (!closed) failed(e); // close() interrupts a request in flight: not a failure to report
        }
    }

    private void beat() {
        Set<Integer> ready;
        try {
            ready = readyShards.get();
        } catch (RuntimeException e) {
            LOG.warn("membership: could not list this node's ready shards; announcing none", e);
            ready = Set.of();
        }
        members.heartbeat(settings.self(), instance, settings.advertiseAddress(), settings.zone(), state, ready,
                System.currentTimeMillis(), settings.heartbeatTtlSeconds());
    }

    /** Reads the assignment row and the members, proposes if the eligible set changed, publishes the view. */
    private void refresh() {
        Optional<AssignmentTable.Stored> row = assignments.read();
        List<MemberRow> rows = members.readAll();
        checkOwnRow(rows);
        SortedMap<Integer, Member> all = ViewBuilder.members(rows, this::problem);
        List<Member> eligible = new ArrayList<>();
        for (Member m : all.values()) if (m.state().eligible()) eligible.add(m);
        String eligibleText = ViewBuilder.eligibleText(eligible);
        if (row.isPresent() ? !row.get().members().equals(eligibleText) : !eligible.isEmpty()) {
            row = propose(row, eligible, eligibleText);
        }
        Assignment assignment = row.isPresent() ? decode(row.get())
                : ViewBuilder.unassigned(settings.shards(), settings.replicas());
        publish(new ClusterView(settings.self(), assignment, all));
    }

    /** One proposal; the row in force afterwards (this one if the LWT applied, else re-read at SERIAL). */
    private Optional<AssignmentTable.Stored> propose(Optional<AssignmentTable.Stored> row, List<Member> eligible, String eligibleText) {
        Assignment current = row.map(this::decode).orElse(null);
        Assignment next = planner.next(current, eligible, settings.shards(), settings.replicas());
        long expected = current == null ? 1 : current.epoch() + 1;
        if (next.epoch() != expected || next.shards() != settings.shards()) {
            throw new IllegalStateException("the assignment planner returned epoch " + next.epoch() + " with " + next.shards()
                    + " shards; expected epoch " + expected + " with " + settings.shards());
        }
        AssignmentTable.Stored proposal = new AssignmentTable.Stored(next.epoch(), next.encode(), eligibleText);
        boolean applied = row.isEmpty() ? assignments.insertFirst(proposal) : assignments.replace(row.get().epoch(), proposal);
        if (!applied) {
            LOG.debug("membership: node {} lost the proposal of epoch {}; reading the winner's", settings.self(), next.epoch());
            return assignments.readSerial();
        }
        LOG.info("membership: node {} set assignment epoch {} for members [{}]: {} replica slots moved{}", settings.self(),
                next.epoch(), eligibleText, next.movedSlotsFrom(current), moves(current, next));
        return Optional.of(proposal);
    }

    private Assignment decode(AssignmentTable.Stored row) {
        Assignment a;
        try {
            a = Assignment.decode(row.assignment() == null ? "" : row.assignment());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the stored cluster assignment cannot be read: " + e.getMessage(), e);
        }
        if (a.epoch() != row.epoch()) {
            throw new IllegalStateException("the stored cluster assignment says epoch " + a.epoch() + ", its row " + row.epoch());
        }
        if (a.shards() != settings.shards()) {
            throw new IllegalStateException("the cluster's assignment has " + a.shards() + " shards, this node is configured with "
                    + settings.shards() + " (shards must be the same on every node)");
        }
        if (a.replicas() != settings.replicas() && !replicasWarned) {
            replicasWarned = true;
            LOG.warn("membership: the cluster's assignment has replicas={}, this node is configured with {}; the node follows the"
                    + " assignment, and proposes its own setting at the next change of members", a.replicas(), settings.replicas());
        }
        return a;
    }

    private void publish(ClusterView next) {
        ClusterView last = view;
        if (next.equals(last)) return;
        view = next;
        if (last != null && last.assignment().epoch() != next.assignment().epoch()) {
            LOG.info("membership: node {} follows assignment epoch {}", settings.self(), next.assignment().epoch());
        }
        for (Consumer<ClusterView> l : listeners) {
            try {
                l.accept(next);
            } catch (RuntimeException e) {
                LOG.warn("membership: a view listener failed", e);
            }
        }
    }

    /** Another process with this ordinal overwrote the row since this node's heartbeat: say so (once a minute). */
    private void checkOwnRow(List<MemberRow> rows) {
        for (MemberRow r : rows) {
            if (r.ordinal() != settings.self() || !r.alive() || instance.equals(r.instance())) continue;
            long now = System.currentTimeMillis();
            if (now >= nextConflictLogMs) {
                nextConflictLogMs = now + LOG_GAP_MAX.toMillis();
                LOG.error("membership: another process (instance {} at {}) heartbeats as node {}; two nodes share an ordinal",
                        r.instance(), r.address(), settings.self());
            }
        }
    }

    private void problem(String text) {
        if (reportedProblems.size() > 1000) reportedProblems.clear();
        if (reportedProblems.add(text)) LOG.warn("membership: {}", text);
    }

    private void failed(RuntimeException e) {
        failures++;
        long now = System.currentTimeMillis();
        if (failures > 1 && now < nextFailureLogMs) return;
        failureGapMs = failureGapMs == 0 ? 1000 : Math.min(2 * failureGapMs, LOG_GAP_MAX.toMillis());
        nextFailureLogMs = now + failureGapMs;
        ClusterView v = view;
        String msg = "membership: node {} could not heartbeat or read the cluster ({} failed in a row); keeping the view of"
                + " assignment epoch {}; other nodes see this node down after {} ms without a heartbeat: {}";
        Object[] args = {settings.self(), failures, v == null ? "none" : v.assignment().epoch(), settings.failureTimeout().toMillis(), e.toString()};
        if (failures == 1) {
            Object[] withCause = Arrays.copyOf(args, args.length + 1);
            withCause[args.length] = e;
            LOG.warn(msg, withCause);
        } else {
            LOG.warn(msg, args);
        }
    }

    /** The shards whose owners changed, e.g. {@code ; s1 [0,1]->[0,3], s5 [2,1]->[3,1]} (empty when none did). */
    private static String moves(Assignment before, Assignment after) {
        StringBuilder b = new StringBuilder();
        for (int s = 0; s < after.shards(); s++) {
            int[] was = before == null ? new int[0] : before.owners(s);
            int[] now = after.owners(s);
            if (Arrays.equals(was, now)) continue;
            b.append(b.isEmpty() ? "; " : ", ").append('s').append(s).append(' ').append(Arrays.toString(was).replace(" ", ""))
                    .append("->").append(Arrays.toString(now).replace(" ", ""));
        }
        return b.toString();
    }
}
