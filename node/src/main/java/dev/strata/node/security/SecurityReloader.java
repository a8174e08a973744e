package dev.strata.node.security;

import dev.strata.store.concurrent.NamedThreads;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the web configuration and the cluster credentials for changes ({@code security.reload-interval})
 * on one thread, {@code strata-security-reload}. Modification-time polling rather than a file-system
 * watch: Kubernetes updates mounted Secrets by swapping a symlink, which watches miss.
 */
public final class SecurityReloader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SecurityReloader.class);
    private final ScheduledExecutorService timer;

    public SecurityReloader(WebSecurity web, ClusterSecurity cluster, Duration interval) {
        timer = Executors.newSingleThreadScheduledExecutor(NamedThreads.named("strata-security-reload"));
        timer.scheduleWithFixedDelay(() -> {
            try {
                web.reloadIfChanged();
                cluster.reloadIfChanged();
            } catch (RuntimeException e) {
                LOG.error("reloading security configuration failed", e);
            }
        }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
