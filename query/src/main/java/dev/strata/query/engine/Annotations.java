package dev.strata.query.engine;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Warnings and infos collected while evaluating, deduplicated, in first-seen order. */
public final class Annotations {
    static final String WARNING_PREFIX = "PromQL warning: ", INFO_PREFIX = "PromQL info: ";
    private final Set<String> warnings = new LinkedHashSet<>();
    private final Set<String> infos = new LinkedHashSet<>();

    public void warn(String msg) {
        warnings.add(WARNING_PREFIX + msg);
    }

    public void info(String msg) {
        infos.add(INFO_PREFIX + msg);
    }

    public List<String> warnings() {
        return new ArrayList<>(warnings);
    }

    public List<String> infos() {
        return new ArrayList<>(infos);
    }
}
