package dev.strata.index;

import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.IntFunction;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.util.BytesRef;

/**
 * Builds series documents (fields as listed in {@link IndexFields}) for one thread, reusing the
 * document and its Field instances from one series to the next: Lucene is done with a document's
 * fields when addDocument returns, and reuse saves the field objects, their token streams and the
 * label-name-to-field-name lookups of every series. Not thread safe: one instance per writing thread.
 */
final class SeriesDocuments {
    /** Label names whose field is kept for reuse; names beyond this get a fresh field per document. */
    private static final int MAX_REUSED_LABELS = 4096;

    private final Map<String, LabelField> labelFields = new HashMap<>();
    private final NumericDocValuesField id = new NumericDocValuesField(IndexFields.ID, 0);
    private final NumericDocValuesField hash = new NumericDocValuesField(IndexFields.HASH, 0);
    private final NumericDocValuesField check = new NumericDocValuesField(IndexFields.CHECK, 0);
    private final NumericDocValuesField first = new NumericDocValuesField(IndexFields.FIRST, 0);
    private final StoredField labels = new StoredField(IndexFields.LABELS, new BytesRef(new byte[0]));
    private final List<IndexableField> doc = new ArrayList<>();

    /**
     * The document of one series; valid until the next call. Label values are indexed as slices of
     * {@code encoded} (the {@link LabelsCodec} bytes of {@code l}): no second UTF-8 conversion.
     */
    List<IndexableField> of(int seriesId, Labels l, byte[] encoded, long seriesHash, long checkHash, long firstMs) {
        doc.clear();
        LabelsCodec.forEachValue(encoded, (i, off, len) -> doc.add(labelField(l.name(i), encoded, off, len)));
        id.setLongValue(seriesId);
        hash.setLongValue(seriesHash);
        check.setLongValue(checkHash);
        first.setLongValue(firstMs);
        labels.setBytesValue(new BytesRef(encoded));
        doc.add(id);
        doc.add(hash);
        doc.add(check);
        doc.add(first);
        doc.add(labels);
        return doc;
    }

    /**
     * A document whose fields belong to it alone, for callers that hold documents or hand them to
     * other threads (the rebuild path); same fields as {@link #of(int, Labels, byte[], long, long, long)}.
     */
    static Document standalone(int seriesId, Labels l, byte[] encoded, long seriesHash, long checkHash, long firstMs) {
        Document d = new Document();
        new SeriesDocuments().of(seriesId, l, encoded, seriesHash, checkHash, firstMs).forEach(d::add);
        return d;
    }

    /**
     * The documents of a batch, built one at a time as Lucene iterates (each is consumed before the
     * next is asked for, so one reused document serves the batch); {@code labels} gives a series'
     * label set by id.
     */
    Iterable<Iterable<? extends IndexableField>> of(SeriesBatch batch, IntFunction<Labels> labels) {
        return () -> new Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
                return i < batch.size();
            }

            @Override
            public Iterable<? extends IndexableField> next() {
                if (i >= batch.size()) throw new NoSuchElementException("batch of " + batch.size() + " series");
                int id = batch.id(i);
                List<IndexableField> d = of(id, labels.apply(id), batch.encoded(i), batch.hash(i), batch.check(i), batch.firstMs(i));
                i++;
                return d;
            }
        };
    }

    /**
     * The reused field of label {@code name}, pointed at {@code encoded[off, off + len)}. Lucene
     * refuses {@code setBytesValue} on indexed fields, so the field keeps its BytesRef instance and
     * we move that BytesRef instead (the field reads it when the document is indexed).
     */
    private Field labelField(String name, byte[] encoded, int off, int len) {
        LabelField f = labelFields.get(name);
        if (f == null) {
            BytesRef value = new BytesRef(encoded, off, len);
            Field field = IndexFields.labelValue(name, value);
            if (labelFields.size() < MAX_REUSED_LABELS) labelFields.put(name, new LabelField(field, value));
            return field;
        }
        f.value.bytes = encoded;
        f.value.offset = off;
        f.value.length = len;
        return f.field;
    }

    private record LabelField(Field field, BytesRef value) {}
}
