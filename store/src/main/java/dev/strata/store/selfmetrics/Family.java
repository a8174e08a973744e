package dev.strata.store.selfmetrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A labeled metric: one child ({@link Counter}, {@link Gauge} or {@link Histogram}) per combination of
 * label values. Children are created on first use and live until {@link #remove}d. Callers on hot
 * paths should keep the child returned by {@link #labels} rather than look it up per event.
 */
public final class Family<C> {
    private final String name;
    private final List<String> labelNames;
    private final Supplier<C> factory;
    private final Map<List<String>, C> children = new ConcurrentHashMap<>();

    Family(String name, List<String> labelNames, Supplier<C> factory) {
        this.name = name;
        this.labelNames = labelNames;
        this.factory = factory;
    }

    /** The child for these label values (in the order of the family's label names). */
    public C labels(String... values) {
        return children.computeIfAbsent(key(values), k -> factory.get());
    }

    public void remove(String... values) {
        children.remove(key(values));
    }

    private List<String> key(String... values) {
        if (values.length != labelNames.size()) {
            throw new IllegalArgumentException(name + " has labels " + labelNames + " but got " + values.length
                    + " values " + Arrays.toString(values));
        }
        for (String v : values) {
            if (v == null) {
                throw new IllegalArgumentException(name + ": null label value in " + Arrays.toString(values));
            }
        }
        return List.of(values);
    }

    /** Children sorted by label values, so the exposition is stable. */
    List<Map.Entry<List<String>, C>> sortedChildren() {
        List<Map.Entry<List<String>, C>> entries = new ArrayList<>(children.entrySet());
        entries.sort(Map.Entry.comparingByKey(LABEL_VALUES_ORDER));
        return entries;
    }

    List<String> labelNames() {
        return labelNames;
    }

    static final Comparator<List<String>> LABEL_VALUES_ORDER = (a, b) -> {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    };
}
