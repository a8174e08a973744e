package dev.strata.node.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * What {@code GET /-/ready} asks: the node is ready when every registered component says so (and at
 * least one component is registered). Suppliers are called on the HTTP event loop: they must be cheap
 * and non-blocking (read a volatile flag). Thread safe.
 */
public final class Readiness {
    private final Map<String, BooleanSupplier> components = new ConcurrentHashMap<>();

    /** @throws IllegalArgumentException if a component of that name is already registered */
    public void register(String component, BooleanSupplier ready) {
        if (components.putIfAbsent(component, ready) != null) {
            throw new IllegalArgumentException("component " + component + " already registered for readiness");
        }
    }

    /** Names of the components not ready yet, sorted; empty when ready. */
    public List<String> notReady() {
        List<String> waiting = new ArrayList<>();
        components.forEach((name, ready) -> {
            boolean ok;
            try {
                ok = ready.getAsBoolean();
            } catch (RuntimeException e) {
                ok = false;
            }
            if (!ok) {
                waiting.add(name);
            }
        });
        waiting.sort(null);
        return waiting;
    }

    public boolean isReady() {
        return !components.isEmpty() && notReady().isEmpty();
    }
}
