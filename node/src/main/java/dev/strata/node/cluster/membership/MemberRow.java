package dev.strata.node.cluster.membership;

/**
 * One row of the {@code members} table as read (docs/format/membership.md). The TTL'd columns
 * ({@code instance}, {@code state}, {@code ready}, {@code heartbeat}) are null once the member's
 * heartbeat expired; {@code address} and {@code zone} are null only in a row that holds nothing but an
 * operator's {@code drained} mark (a drained node that left).
 *
 * @param heartbeat the writer's wall-clock ms at its last heartbeat (only compared with the same
 *                  writer's earlier values, never with another clock), null when expired
 */
public record MemberRow(int ordinal, String instance, String address, String zone, String state, String ready,
                        boolean drained, Long heartbeat) {
    /** True while the member's heartbeat has not expired. */
    public boolean alive() {
        return heartbeat != null;
    }

    /** True for a row that only keeps an operator's drained mark: not a member. */
    public boolean markOnly() {
        return heartbeat == null && (address == null || address.isEmpty());
    }
}
