package dev.strata.node.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What {@code GET /-/ready} asks: the node is ready when every registered component says so (and at
 * least one component is registered). Suppliers are called on the HTTP event loop: they must be cheap
 * and non-blocking (read a volatile flag). Thread safe.
 */
public final class Readiness {
    /** Per component: why it is not ready (empty: no reason given), or null when ready. */
    private final Map<String, Supplier<String>> components = new ConcurrentHashMap<>();

    /** @throws IllegalArgumentException if a component of that name is already registered */
    public void register(String component, BooleanSupplier ready) {
        registerReason(component, () -> ready.getAsBoolean() ? null : "");
    }

    /**
     * A component that says why it is not ready: {@code whyNot} returns null when ready, else the reason,
     * listed after the component's name.
     *
     * @throws IllegalArgumentException if a component of that name is already registered
     */
    public void registerReason(String component, Supplier<String> whyNot) {
        if (components.putIfAbsent(component, whyNot) != null) {
            throw new IllegalArgumentException("component " + component + " already registered for readiness");
        }
    }

    /** Names of the components not ready yet (with their reason when they give one), sorted; empty when ready. */
    public List<String> notReady() {
        List<String> waiting = new ArrayList<>();
        components.forEach((name, whyNot) -> {
            String why;
            try {
                why = whyNot.get();
            } catch (RuntimeException e) {
                why = e.toString();
            }
            if (why != null) {
                waiting.add(why.isEmpty() ? name : name + " (" + why + ")");
            }
        });
        waiting.sort(null);
        return waiting;
    }

    public boolean isReady() {
        return !components.isEmpty() && notReady().isEmpty();
    }
}
