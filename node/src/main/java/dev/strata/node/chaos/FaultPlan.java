package dev.strata.node.chaos;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The seeded sequence of faults: the same seed and targets give the same kinds, targets, quiet times,
 * down times and {@code flush.groups} values (their timing on the wall clock also depends on how fast
 * processes restart). Quiet 3-12 s between faults; a kill lasts 1-8 s before the restart, a pause 2-12 s;
 * kills and pauses are equally likely, a restart with changed {@code flush.groups} (nodes only) is one
 * fault in five.
 *
 * <p>With membership faults (a node count range given), the plan also keeps the cluster's members: one
 * fault in four, and always the first (so that a short run has one), is a join (a node with the next
 * ordinal), a leave (SIGTERM) or a crash (SIGKILL for good), picked evenly among those the range allows
 * ({@code minNodes <= nodes <= maxNodes}). A node that left or crashed is no longer a target; a joined
 * node becomes one once the suite calls {@link #joined}.
 */
public final class FaultPlan {
    /** The values a reconfigured node picks from (never its current one). */
    static final int[] FLUSH_GROUPS = {1, 2, 4, 8};

    private final SplittableRandom random;
    private final List<FaultTarget> targets;
    private final Map<String, Integer> flushGroups = new HashMap<>();
    private final int initialFlushGroups;
    private final int minNodes;
    private final int maxNodes;
    private int nextOrdinal;
    private int number;

    /** Process faults only; {@code initialFlushGroups} is every node's {@code flush.groups} at the start. */
    public FaultPlan(long seed, List<FaultTarget> targets, int initialFlushGroups) {
        this(seed, targets, initialFlushGroups, 0, 0, 0);
    }

    /**
     * With membership faults when {@code maxNodes > 0}: the node targets (the reconfigurable ones) stay
     * between {@code minNodes} and {@code maxNodes}; joined nodes get ordinals from {@code nextOrdinal} on.
     */
    public FaultPlan(long seed, List<FaultTarget> targets, int initialFlushGroups, int minNodes, int maxNodes, int nextOrdinal) {
        this.random = new SplittableRandom(seed);
        this.targets = new ArrayList<>(targets);
        this.initialFlushGroups = initialFlushGroups;
        this.minNodes = minNodes;
        this.maxNodes = maxNodes;
        this.nextOrdinal = nextOrdinal;
        for (FaultTarget t : targets) if (t.reconfigurable()) flushGroups.put(t.name(), initialFlushGroups);
    }

    /** The processes faults can hit now (members that left or crashed are gone, joined ones added). */
    public List<FaultTarget> targets() {
        return List.copyOf(targets);
    }

    /** The node a {@link Fault.Kind#JOIN} started is now a target (with the initial {@code flush.groups}). */
    public void joined(FaultTarget node) {
        targets.add(node);
        flushGroups.put(node.name(), initialFlushGroups);
    }

    public Fault next() {
        number++;
        long quiet = random.nextLong(3_000, 12_001);
        List<FaultTarget> nodes = targets.stream().filter(FaultTarget::reconfigurable).toList();
        if (maxNodes > 0 && (number == 1 || random.nextInt(4) == 0)) {
            Fault f = membership(quiet, nodes);
            if (f != null) return f;
        }
        int dice = random.nextInt(10);
        if (dice < 2 && !nodes.isEmpty()) {
            FaultTarget node = nodes.get(random.nextInt(nodes.size()));
            int current = flushGroups.get(node.name());
            int groups;
            do {
                groups = FLUSH_GROUPS[random.nextInt(FLUSH_GROUPS.length)];
            } while (groups == current);
            flushGroups.put(node.name(), groups);
            return new Fault(number, Fault.Kind.RECONFIGURE, node, quiet, random.nextLong(1_000, 8_001), groups);
        }
        FaultTarget target = targets.get(random.nextInt(targets.size()));
        return dice < 6
                ? new Fault(number, Fault.Kind.KILL, target, quiet, random.nextLong(1_000, 8_001), 0)
                : new Fault(number, Fault.Kind.PAUSE, target, quiet, random.nextLong(2_000, 12_001), 0);
    }

    /** A join, leave or crash the node range allows, or null if none does (min == max). */
    private Fault membership(long quiet, List<FaultTarget> nodes) {
        List<Fault.Kind> possible = new ArrayList<>();
        if (nodes.size() < maxNodes) possible.add(Fault.Kind.JOIN);
        if (nodes.size() > minNodes) {
            possible.add(Fault.Kind.LEAVE);
            possible.add(Fault.Kind.CRASH);
        }
        if (possible.isEmpty()) return null;
        Fault.Kind kind = possible.get(random.nextInt(possible.size()));
        if (kind == Fault.Kind.JOIN) return new Fault(number, kind, null, quiet, 0, 0, "node-" + nextOrdinal++);
        FaultTarget node = nodes.get(random.nextInt(nodes.size()));
        targets.remove(node);
        flushGroups.remove(node.name());
        return new Fault(number, kind, node, quiet, 0, 0);
    }
}
