package dev.strata.query.api;

import dev.strata.store.json.JsonWriter;
import dev.strata.store.model.Labels;

/** A label set as Prometheus writes it: {@code {"__name__":"up","job":"api"}} in label order. */
final class LabelsJson {
    private LabelsJson() {}

    static void write(Labels labels, JsonWriter w) {
        w.raw('{');
        int n = labels.size();
        for (int i = 0; i < n; i++) {
            if (i > 0) w.raw(',');
            w.string(labels.name(i)).raw(':').string(labels.value(i));
        }
        w.raw('}');
    }
}
