package dev.strata.index;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Field names of a series document. Label {@code name} is the indexed keyword field {@code "l:" + name}
 * (one term per value, postings only); internal fields start with {@code '#'} so no label name can
 * collide with them:
 * <pre>
 *   l:&lt;name&gt;   StringField, the label's value          (matchers, label values, top values)
 *   #names     StringField, one term per label name     (label exists, label names)
 *   #id        IntPoint + NumericDocValues, series id   (id -> doc, doc -> id)
 *   #hash      NumericDocValues, Labels.hash()          (exact lookup after reopen)
 *   #check     NumericDocValues, LabelsCodec check hash (verifies a hash hit without loading labels)
 *   #first     NumericDocValues, first sample time (ms)
 *   #labels    StoredField, LabelsCodec bytes            (labels of a series, rebuild-free reopen)
 * </pre>
 * The last sample time is not in Lucene (it changes with every scrape); see {@link LastSampleTimesFile}.
 */
final class IndexFields {
    static final String NAMES = "#names";
    static final String ID = "#id";
    static final String HASH = "#hash";
    static final String CHECK = "#check";
    static final String FIRST = "#first";
    static final String LABELS = "#labels";

    private static final ConcurrentHashMap<String, String> LABEL_FIELDS = new ConcurrentHashMap<>();

    private IndexFields() {}

    /** The Lucene field holding the values of label {@code name}. */
    static String labelField(String name) {
        String f = LABEL_FIELDS.get(name);
        if (f == null) {
            f = "l:" + name;
            if (LABEL_FIELDS.size() < 100_000) LABEL_FIELDS.put(name, f);
        }
        return f;
    }
}
