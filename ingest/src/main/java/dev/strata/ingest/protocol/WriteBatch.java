package dev.strata.ingest.protocol;

import dev.strata.store.model.FloatHistogram;
import dev.strata.store.model.MetricMetadata;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The decoded form of one write request, whatever its protocol: series with labels and samples,
 * stored in flat arrays. Label names and values are UTF-8 byte ranges into {@link #bytes()} (for
 * remote write this is the decompressed payload itself, so decoding copies no label bytes).
 *
 * <p>Series {@code s} has labels {@code [labelStart(s), labelStart(s)+labelCount(s))} and samples
 * {@code [sampleStart(s), sampleStart(s)+sampleCount(s))}. {@link #endSeries()} drops labels with
 * empty values (Prometheus: an empty value is the same as no label) and sorts the rest in the
 * canonical {@code Labels} order; duplicate names and invalid names are left for the validator.
 * The {@link DecodeLimits} are enforced as labels, series and samples are added (labels with an
 * empty value are not even stored), so a hostile request fails before it costs memory or sorting.
 * Not thread safe.
 */
public final class WriteBatch {
    private final DecodeLimits limits;
    private int seriesLabels; // non-empty labels of the open series
    private byte[] bytes = new byte[0];
    private int bytesLen;

    private int seriesCount;
    private int[] labelStart = new int[64];
    private int[] labelCount = new int[64];
    private int[] sampleStart = new int[64];
    private int[] sampleCount = new int[64];

    private int labels;
    private int[] nameOff = new int[256];
    private int[] nameLen = new int[256];
    private int[] valueOff = new int[256];
    private int[] valueLen = new int[256];

    private int samples;
    private long[] timestamps = new long[64];
    private double[] values = new double[64];
    /** Start timestamps parallel to timestamps (0 = unknown); meaningful only while anyStart. */
    private long[] startTimestamps = new long[0];
    private boolean anyStart;
    /**
     * Native histograms parallel to timestamps (null entries: float samples; a histogram sample's
     * value slot holds NaN); null until the batch's first histogram, so float-only batches pay nothing.
     */
    private FloatHistogram[] histograms;
    private int histogramCount;

    private boolean inSeries;
    /** Metric metadata the request carried (remote write 1.0 {@code metadata}, 2.0 per series, OTLP), in request order. */
    private final List<MetricMetadata> metadata = new ArrayList<>();

    /** A batch without limits (tests, benchmarks, the load generator). */
    public WriteBatch() {
        this(DecodeLimits.NONE);
    }

    public WriteBatch(DecodeLimits limits) {
        this.limits = limits;
    }

    public DecodeLimits limits() {
        return limits;
    }

    /** Things the protocol carried that Strata does not store (counted, reported to the sender). */
    private long exemplarsIgnored;
    private long stringFieldsIgnored;

    /** Starts over with {@code payload} as the byte arena (label ranges may point into it). */
    public void reset(byte[] payload, int payloadLen) {
        bytes = payload;
        bytesLen = payloadLen;
        seriesCount = 0;
        labels = 0;
        anyStart = false;
        if (histogramCount > 0) Arrays.fill(histograms, 0, samples, null);
        histogramCount = 0;
        samples = 0;
        inSeries = false;
        metadata.clear();
        exemplarsIgnored = 0;
        stringFieldsIgnored = 0;
    }

    public void reset() {
        reset(bytes, 0);
    }

    /** Appends bytes to the arena and returns their offset. */
    public int appendBytes(byte[] src, int off, int len) {
        if (bytesLen + len > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytesLen + len, Math.max(256, bytes.length * 2)));
        }
        System.arraycopy(src, off, bytes, bytesLen, len);
        int at = bytesLen;
        bytesLen += len;
        return at;
    }

    public int appendString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return appendBytes(b, 0, b.length);
    }

    public void beginSeries() {
        if (inSeries) throw new IllegalStateException("beginSeries inside a series");
        if (seriesCount >= limits.maxSeriesPerRequest()) {
            throw new RequestTooLargeException("the request has more than " + limits.maxSeriesPerRequest()
                    + " series (the limit per request); send smaller requests");
        }
        inSeries = true;
        seriesLabels = 0;
        if (seriesCount == labelStart.length) {
            int n = seriesCount * 2;
            labelStart = Arrays.copyOf(labelStart, n);
            labelCount = Arrays.copyOf(labelCount, n);
            sampleStart = Arrays.copyOf(sampleStart, n);
            sampleCount = Arrays.copyOf(sampleCount, n);
        }
        labelStart[seriesCount] = labels;
        sampleStart[seriesCount] = samples;
    }

    /**
     * Adds a label whose name and value are byte ranges of {@link #bytes()}. A label with an empty
     * value is dropped at once (Prometheus: the same as no label); one non-empty label more than
     * {@link DecodeLimits#maxLabelsPerSeries()} fails the request.
     */
    public void addLabel(int nOff, int nLen, int vOff, int vLen) {
        if (vLen == 0) return;
        if (++seriesLabels > limits.maxLabelsPerSeries()) {
            throw new MalformedRequestException("series #" + seriesCount + " has more than "
                    + limits.maxLabelsPerSeries() + " labels (the limit per series)");
        }
        if (labels == nameOff.length) {
            int n = labels * 2;
            nameOff = Arrays.copyOf(nameOff, n);
            nameLen = Arrays.copyOf(nameLen, n);
            valueOff = Arrays.copyOf(valueOff, n);
            valueLen = Arrays.copyOf(valueLen, n);
        }
        nameOff[labels] = nOff;
        nameLen[labels] = nLen;
        valueOff[labels] = vOff;
        valueLen[labels] = vLen;
        labels++;
    }

    public void addSample(long timestampMs, double value) {
        if (samples >= limits.maxSamplesPerRequest()) {
            throw new RequestTooLargeException("the request has more than " + limits.maxSamplesPerRequest()
                    + " samples (the limit per request); send smaller requests");
        }
        if (samples == timestamps.length) {
            timestamps = Arrays.copyOf(timestamps, samples * 2);
            values = Arrays.copyOf(values, samples * 2);
            if (anyStart) startTimestamps = Arrays.copyOf(startTimestamps, samples * 2);
            if (histograms != null) histograms = Arrays.copyOf(histograms, samples * 2);
        }
        timestamps[samples] = timestampMs;
        values[samples] = value;
        if (anyStart) startTimestamps[samples] = 0;
        samples++;
    }

    /**
     * Adds a sample with its start timestamp (ms since the epoch when its counter started from zero;
     * 0 = unknown, the same as {@link #addSample(long, double)}).
     */
    public void addSample(long timestampMs, long startTimestampMs, double value) {
        addSample(timestampMs, value);
        if (startTimestampMs != 0) setStartTimestamp(samples - 1, startTimestampMs);
    }

    /**
     * Adds a native histogram sample with its start timestamp (0 = unknown). It counts as one sample
     * towards the request's sample limit.
     */
    public void addHistogram(long timestampMs, long startTimestampMs, FloatHistogram h) {
        addSample(timestampMs, startTimestampMs, Double.NaN);
        if (histograms == null) histograms = new FloatHistogram[timestamps.length];
        histograms[samples - 1] = h;
        histogramCount++;
    }

    /** Sets the start timestamp of sample {@code i} (already added); 0 = unknown. */
    public void setStartTimestamp(int i, long startTimestampMs) {
        if (!anyStart) {
            if (startTimestampMs == 0) return;
            if (startTimestamps.length < timestamps.length) startTimestamps = new long[timestamps.length];
            Arrays.fill(startTimestamps, 0, samples, 0);
            anyStart = true;
        } else if (startTimestamps.length < timestamps.length) {
            startTimestamps = Arrays.copyOf(startTimestamps, timestamps.length);
        }
        startTimestamps[i] = startTimestampMs;
    }

    /**
     * Ends the series: sorts its labels (stable, canonical order). Runs after the per-series label
     * limit was enforced by {@link #addLabel}, so the insertion sort handles at most that many.
     */
    public void endSeries() {
        if (!inSeries) throw new IllegalStateException("endSeries outside a series");
        inSeries = false;
        int start = labelStart[seriesCount];
        // Insertion sort: senders nearly always send sorted labels, so this is one pass.
        for (int i = start + 1; i < labels; i++) {
            if (compareNames(i - 1, i) <= 0) continue;
            int no = nameOff[i], nl = nameLen[i], vo = valueOff[i], vl = valueLen[i];
            int j = i - 1;
            while (j >= start && Utf8Bytes.compare(bytes, nameOff[j], nameLen[j], bytes, no, nl) > 0) {
                move(j, j + 1);
                j--;
            }
            nameOff[j + 1] = no; nameLen[j + 1] = nl; valueOff[j + 1] = vo; valueLen[j + 1] = vl;
        }
        labelCount[seriesCount] = labels - start;
        sampleCount[seriesCount] = samples - sampleStart[seriesCount];
        seriesCount++;
    }

    private void move(int from, int to) {
        nameOff[to] = nameOff[from];
        nameLen[to] = nameLen[from];
        valueOff[to] = valueOff[from];
        valueLen[to] = valueLen[from];
    }

    private int compareNames(int a, int b) {
        return Utf8Bytes.compare(bytes, nameOff[a], nameLen[a], bytes, nameOff[b], nameLen[b]);
    }

    public byte[] bytes() { return bytes; }
    public int seriesCount() { return seriesCount; }
    public int labelStart(int s) { return labelStart[s]; }
    public int labelCount(int s) { return labelCount[s]; }
    public int sampleStart(int s) { return sampleStart[s]; }
    public int sampleCount(int s) { return sampleCount[s]; }
    public int nameOff(int l) { return nameOff[l]; }
    public int nameLen(int l) { return nameLen[l]; }
    public int valueOff(int l) { return valueOff[l]; }
    public int valueLen(int l) { return valueLen[l]; }
    public long timestamp(int i) { return timestamps[i]; }
    public double value(int i) { return values[i]; }
    /** The native histogram of sample {@code i}, or null for a float sample. */
    public FloatHistogram histogram(int i) { return histograms == null ? null : histograms[i]; }
    /** Native histogram samples in the batch (they are among {@link #totalSamples()}). */
    public int totalHistograms() { return histogramCount; }
    /** Start timestamp of sample {@code i}, 0 when unknown. */
    public long startTimestamp(int i) { return anyStart ? startTimestamps[i] : 0; }
    /** True if any sample of the batch has a known start timestamp. */
    public boolean hasStartTimestamps() { return anyStart; }
    public int totalSamples() { return samples; }
    public int totalLabels() { return labels; }

    public String name(int l) { return Utf8Bytes.string(bytes, nameOff[l], nameLen[l]); }
    public String labelValue(int l) { return Utf8Bytes.string(bytes, valueOff[l], valueLen[l]); }

    /**
     * Adds one metadata entry (duplicates are kept here; the gateway and the store deduplicate). At
     * most {@link DecodeLimits#maxSeriesPerRequest()} entries per request (as many as series: a
     * sender's metadata request is no larger than its sample requests).
     */
    public void addMetadata(MetricMetadata m) {
        if (metadata.size() >= limits.maxSeriesPerRequest()) {
            throw new RequestTooLargeException("the request has more than " + limits.maxSeriesPerRequest()
                    + " metadata entries (the limit per request, that of series); send smaller requests");
        }
        metadata.add(m);
    }
    /** The request's metadata entries, in request order. */
    public List<MetricMetadata> metadata() { return metadata; }

    public long exemplarsIgnored() { return exemplarsIgnored; }
    public long stringFieldsIgnored() { return stringFieldsIgnored; }
    public void countExemplarIgnored() { exemplarsIgnored++; }
    public void countStringFieldIgnored() { stringFieldsIgnored++; }

    /** Prometheus text form of series {@code s} for error messages (slow path). */
    public String describe(int s) {
        StringBuilder sb = new StringBuilder("{");
        for (int l = labelStart[s], e = l + labelCount[s]; l < e; l++) {
            if (l > labelStart[s]) sb.append(", ");
            sb.append(printable(name(l))).append("=\"").append(printable(labelValue(l))).append('"');
        }
        return sb.append('}').toString();
    }

    private static String printable(String s) {
        String t = s.length() > 100 ? s.substring(0, 100) + "..." : s;
        return t.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
