package dev.strata.index;

import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.util.BytesRef;

/**
 * Field names of a series document. Label {@code name} is the indexed keyword field {@code "l:" + name}
 * (one term per value, postings only); internal fields start with {@code '#'} so no label name can
 * collide with them:
 * <pre>
 *   l:&lt;name&gt;   keyword term (postings only), the label's value (in-memory postings, label values, top values)
 *   #id        NumericDocValues, series id              (doc -> id; id -> doc through {@link LeafSeriesIds})
 *   #hash      NumericDocValues, Labels.hash()          (exact lookup after reopen)
 *   #check     NumericDocValues, LabelsCodec check hash (verifies a hash hit without loading labels)
 *   #first     NumericDocValues, first sample time (ms)
 *   #labels    StoredField, LabelsCodec bytes            (labels of a series, rebuild-free reopen)
 * </pre>
 * Selections never run Lucene queries: they run on {@link LabelPostings} built from these postings.
 * The label names of a segment are its {@code l:} fields (documents are never deleted, so every
 * field in a segment's field infos has at least one document).
 * The last sample time is not in Lucene (it changes with every scrape); see {@link LastSampleTimesFile}.
 */
final class IndexFields {
    static final String ID = "#id";
    static final String HASH = "#hash";
    static final String CHECK = "#check";
    static final String FIRST = "#first";
    static final String LABELS = "#labels";

    static final String LABEL_PREFIX = "l:";

    /**
     * A label value: one untokenized term (postings: documents only, no norms, no doc values; format
     * version 2 dropped the sorted doc values of version 1, which only Lucene-side matching used).
     */
    static final FieldType LABEL_VALUE_TYPE;

    static {
        FieldType t = new FieldType();
        t.setTokenized(false);
        t.setOmitNorms(true);
        t.setIndexOptions(IndexOptions.DOCS);
        t.freeze();
        LABEL_VALUE_TYPE = t;
    }

    private static final ConcurrentHashMap<String, String> LABEL_FIELDS = new ConcurrentHashMap<>();

    static Field labelValue(String labelName, String value) {
        return labelValue(labelName, new BytesRef(value));
    }

    static Field labelValue(String labelName, BytesRef utf8Value) {
        return new Field(labelField(labelName), utf8Value, LABEL_VALUE_TYPE);
    }

    /** The label name of a label field, or null for internal fields. */
    static String labelNameOf(String field) {
        return field.startsWith(LABEL_PREFIX) ? field.substring(LABEL_PREFIX.length()) : null;
    }

    private IndexFields() {}

    /** The Lucene field holding the values of label {@code name}. */
    static String labelField(String name) {
        String f = LABEL_FIELDS.get(name);
        if (f == null) {
            f = LABEL_PREFIX + name;
            if (LABEL_FIELDS.size() < 100_000) LABEL_FIELDS.put(name, f);
        }
        return f;
    }
}
