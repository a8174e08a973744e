package dev.strata.node.chaos;

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
 */
public final class FaultPlan {
    /** The values a reconfigured node picks from (never its current one). */
    static final int[] FLUSH_GROUPS = {1, 2, 4, 8};

    private final SplittableRandom random;
    private final List<FaultTarget> targets;
    private final Map<String, Integer> flushGroups = new HashMap<>();
    private int number;

    /** @param initialFlushGroups every node's {@code flush.groups} at the start */
    public FaultPlan(long seed, List<FaultTarget> targets, int initialFlushGroups) {
        this.random = new SplittableRandom(seed);
        this.targets = List.copyOf(targets);
        for (FaultTarget t : targets) if (t.reconfigurable()) flushGroups.put(t.name(), initialFlushGroups);
    }

    public Fault next() {
        number++;
        long quiet = random.nextLong(3_000, 12_001);
        List<FaultTarget> nodes = targets.stream().filter(FaultTarget::reconfigurable).toList();
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
}
