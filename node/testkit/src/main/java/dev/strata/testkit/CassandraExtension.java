package dev.strata.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects {@link CassandraNode} parameters. Without annotation: one node shared by every test of the
 * JVM's run, forked on first use and stopped and deleted when the run ends (root store). With
 * {@link Fresh}: a node of its own, closed with the test (or class) that asked for it (costs a
 * Cassandra start, several seconds).
 *
 * <p>The shared node is handed out running: if a test stopped or killed it without restarting it,
 * it is restarted (same data, same ports) for the next test.
 */
public final class CassandraExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(CassandraExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == CassandraNode.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (parameter.isAnnotated(Fresh.class)) {
            CassandraNode fresh = timedStart("fresh");
            context.getStore(NAMESPACE).put(new Object(), fresh); // closed with this context
            return fresh;
        }
        CassandraNode shared = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent("shared", key -> timedStart("shared"), CassandraNode.class);
        if (!shared.isRunning()) {
            shared.restart();
        }
        return shared;
    }

    private static CassandraNode timedStart(String kind) {
        long t0 = System.nanoTime();
        CassandraNode node = CassandraNode.start();
        System.err.printf("strata-testkit: %s Cassandra node ready at %s:%d in %d ms (log %s)%n", kind, node.host(),
                node.port(), (System.nanoTime() - t0) / 1_000_000, node.directory().resolve("server.log"));
        return node;
    }
}
