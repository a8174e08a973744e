package dev.strata.node.cluster.membership;

import dev.strata.node.cluster.Assignment;
import dev.strata.node.cluster.AssignmentPlanner;
import dev.strata.node.cluster.Member;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test planner shared by the Membership instances of one test: plans with {@code inner} (or, without
 * one, shard s to the sorted eligible ordinals s, s+1, ... round robin) and makes proposers race: the
 * first two calls for the same next epoch wait for each other (up to {@link #WAIT_MS}), so both go to
 * the lightweight transaction together. {@link #calls} counts calls per next epoch.
 */
final class RacingPlanner implements AssignmentPlanner {
    static final long WAIT_MS = 500;
    private final AssignmentPlanner inner;
    private final Map<Long, CountDownLatch> meet = new ConcurrentHashMap<>();
    private final Map<Long, AtomicInteger> calls = new ConcurrentHashMap<>();

    RacingPlanner(AssignmentPlanner inner) {
        this.inner = inner;
    }

    @Override
    public Assignment next(Assignment previous, Collection<Member> eligible, int shards, int replicas) {
        long epoch = previous == null ? 1 : previous.epoch() + 1;
        calls.computeIfAbsent(epoch, e -> new AtomicInteger()).incrementAndGet();
        CountDownLatch latch = meet.computeIfAbsent(epoch, e -> new CountDownLatch(2));
        latch.countDown();
        try {
            latch.await(WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return inner != null ? inner.next(previous, eligible, shards, replicas) : roundRobin(previous, eligible, shards, replicas);
    }

    /** How many proposers asked for {@code epoch}. */
    int calls(long epoch) {
        AtomicInteger n = calls.get(epoch);
        return n == null ? 0 : n.get();
    }

    private static Assignment roundRobin(Assignment previous, Collection<Member> eligible, int shards, int replicas) {
        List<Integer> nodes = eligible.stream().map(Member::ordinal).sorted(Comparator.naturalOrder()).toList();
        int[][] owners = new int[shards][];
        for (int s = 0; s < shards; s++) {
            owners[s] = new int[Math.min(replicas, nodes.size())];
            for (int i = 0; i < owners[s].length; i++) owners[s][i] = nodes.get((s + i) % nodes.size());
        }
        return new Assignment(previous == null ? 1 : previous.epoch() + 1, replicas, owners);
    }
}
