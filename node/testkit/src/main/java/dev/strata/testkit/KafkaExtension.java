package dev.strata.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects {@link KafkaBroker} parameters. Without annotation: one broker shared by every test of the
 * JVM's run, started on first use and stopped and deleted when the run ends (root store). With
 * {@link Fresh}: a broker of its own, closed with the test (or class) that asked for it.
 *
 * <p>The shared broker is handed out running: a test that stopped or killed it and did not restart it
 * gets it restarted (on the same data, new ports) for the next test.
 */
public final class KafkaExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KafkaBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (parameter.isAnnotated(Fresh.class)) {
            KafkaBroker fresh = timedStart("fresh");
            context.getStore(NAMESPACE).put(new Object(), fresh); // closed with this context
            return fresh;
        }
        KafkaBroker shared = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent("shared", key -> timedStart("shared"), KafkaBroker.class);
        if (!shared.isRunning()) {
            shared.restart();
        }
        return shared;
    }

    private static KafkaBroker timedStart(String kind) {
        long t0 = System.nanoTime();
        KafkaBroker broker = KafkaBroker.start();
        System.err.printf("strata-testkit: %s Kafka broker ready at %s in %d ms%n",
                kind, broker.bootstrapServers(), (System.nanoTime() - t0) / 1_000_000);
        return broker;
    }
}
