package dev.strata.node;

import dev.strata.node.http.Readiness;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running node: an ordered list of {@link Component}s, started first to last and stopped last to
 * first. Each component's readiness is registered with {@link Readiness}, so the node is ready when
 * all of them are. {@link NodeAssembly} builds the components from the configuration.
 */
public final class Node implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);

    private final List<Component> components;
    private final Readiness readiness;
    private final List<Component> started = new ArrayList<>();
    private boolean closed;

    public Node(List<Component> components, Readiness readiness) {
        this.components = List.copyOf(components);
        this.readiness = readiness;
    }

    /**
     * Starts every component in order. If one fails, the ones already started are stopped (in
     * reverse order) and the failure is rethrown.
     */
    public synchronized void start() throws Exception {
        if (closed || !started.isEmpty()) {
            throw new IllegalStateException("a node starts once");
        }
        for (Component c : components) {
            try {
                c.start();
            } catch (Exception e) {
                LOG.error("component {} failed to start: {}", c.name(), e.toString());
                started.add(c); // stop() releases whatever a partial start acquired
                close();
                throw e;
            }
            started.add(c);
            readiness.register(c.name(), c::isReady);
        }
        LOG.info("node started: {}", components.stream().map(Component::name).toList());
    }

    public boolean isReady() {
        return readiness.isReady();
    }

    /** Stops the started components in reverse order; failures are logged and do not stop the others. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = started.size() - 1; i >= 0; i--) {
            Component c = started.get(i);
            try {
                c.stop();
                LOG.info("stopped {}", c.name());
            } catch (Exception e) {
                LOG.warn("component {} failed to stop cleanly", c.name(), e);
            }
        }
        started.clear();
    }
}
