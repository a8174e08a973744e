package dev.strata.node.cluster;

import java.util.Collection;

/**
 * Computes the next shard assignment from the previous one and the members that may own shards.
 *
 * <p>Contract (what every implementation must hold, and its tests check):
 * <ul>
 *   <li>pure and deterministic: the same arguments give the same assignment on every node;</li>
 *   <li>every shard gets {@code min(replicas, eligible.size())} owners, all distinct nodes, and, where
 *       members carry zones and there are at least that many distinct zones, in distinct zones;</li>
 *   <li>balanced: owned-slot counts of eligible members differ by at most one (where zones allow);</li>
 *   <li>minimal movement: a slot whose owner is still eligible keeps it unless balance or zones demand
 *       a move; adding one node to N moves about S*R/(N+1) slots, all of them to the new node; removing
 *       one moves only the slots it held;</li>
 *   <li>the result's epoch is {@code previous.epoch() + 1} (1 when there is no previous).</li>
 * </ul>
 */
public interface AssignmentPlanner {
    /**
     * @param previous the assignment in force, or null for the first one
     * @param eligible the members that may own shards ({@link MemberState#eligible()}), any order
     * @param shards   number of shards
     * @param replicas wanted owners per shard (R)
     */
    Assignment next(Assignment previous, Collection<Member> eligible, int shards, int replicas);
}
