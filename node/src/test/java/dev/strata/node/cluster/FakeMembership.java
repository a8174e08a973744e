package dev.strata.node.cluster;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** An in-memory {@link ClusterMembership} for tests: the view comes from a supplier; announcements are recorded. */
final class FakeMembership implements ClusterMembership {
    private final Supplier<ClusterView> views;
    final List<MemberState> announced = new CopyOnWriteArrayList<>();
    final List<Consumer<ClusterView>> listeners = new CopyOnWriteArrayList<>();

    FakeMembership(Supplier<ClusterView> views) {
        this.views = views;
    }

    @Override
    public ClusterView view() {
        return views.get();
    }

    @Override
    public void onChange(Consumer<ClusterView> listener) {
        listeners.add(listener);
    }

    @Override
    public void announce(MemberState state) {
        announced.add(state);
    }

    @Override
    public void setDrained(int ordinal, boolean drained) {
        throw new UnsupportedOperationException("not used by these tests");
    }

    MemberState lastAnnounced() {
        return announced.isEmpty() ? null : announced.get(announced.size() - 1);
    }
}
