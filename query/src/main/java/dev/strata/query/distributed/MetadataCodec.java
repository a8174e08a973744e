package dev.strata.query.distributed;

import dev.strata.index.Matcher;
import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary form of node-to-node metadata lookups (docs/format/select.md). Request:
 * {@code Magic "SMET", Version u8, Kind u8, MinT i64, MaxT i64, Limit varint, ShardCount varint,
 * Shard varint^ShardCount, Name Str, MatcherCount varint, <Type u8, Name Str, Value Str>^MatcherCount}.
 * Response: {@code Magic "SMRS", Version u8, Kind u8, ServedCount varint, Shard varint^ServedCount,
 * ItemCount varint, Item^ItemCount} where an item is a label set
 * ({@code LabelCount varint, <Name Str, Value Str>^LabelCount}) for SERIES and a Str otherwise.
 * Decoding errors are {@link SelectFormatException} naming the field and sizes.
 */
public final class MetadataCodec {
    static final int REQUEST_MAGIC = 0x534D4554; // "SMET"
    static final int RESPONSE_MAGIC = 0x534D5253; // "SMRS"
    private static final MetadataRequest.Kind[] KINDS = MetadataRequest.Kind.values();

    private MetadataCodec() {}

    public static byte[] encodeRequest(MetadataRequest r) {
        SelectCodec.Out out = new SelectCodec.Out(64);
        out.i32(REQUEST_MAGIC);
        out.u8(SelectCodec.VERSION);
        out.u8(r.kind().ordinal());
        out.i64(r.minT());
        out.i64(r.maxT());
        out.varint(Math.max(0, r.limit()));
        out.varint(r.shards().size());
        for (int s : r.shards()) out.varint(s);
        out.str(r.name());
        out.matchers(r.matchers());
        return out.toByteArray();
    }

    public static MetadataRequest decodeRequest(byte[] bytes) {
        SelectCodec.In in = new SelectCodec.In(bytes, "metadata request");
        in.magic(REQUEST_MAGIC);
        MetadataRequest.Kind kind = kind(in);
        long minT = in.i64("minT");
        long maxT = in.i64("maxT");
        long limit = in.varint("limit");
        int ns = in.count("shard count", 1);
        List<Integer> shards = new ArrayList<>(Math.min(ns, 1 << 12));
        for (int i = 0; i < ns; i++) shards.add(in.count("shard"));
        String name = in.str("label name");
        List<Matcher> matchers = in.matchers();
        in.end();
        return new MetadataRequest(kind, shards, name, matchers, minT, maxT, limit);
    }

    /** @param items label sets ({@link Labels}) for SERIES, strings otherwise */
    public static byte[] encodeResponse(MetadataRequest.Kind kind, List<Integer> served, List<?> items) {
        SelectCodec.Out out = new SelectCodec.Out(256);
        out.i32(RESPONSE_MAGIC);
        out.u8(SelectCodec.VERSION);
        out.u8(kind.ordinal());
        out.varint(served.size());
        for (int s : served) out.varint(s);
        out.varint(items.size());
        for (Object item : items) {
            if (kind == MetadataRequest.Kind.SERIES) {
                Labels l = (Labels) item;
                out.varint(l.size());
                for (int i = 0; i < l.size(); i++) {
                    out.str(l.name(i));
                    out.str(l.value(i));
                }
            } else {
                out.str((String) item);
            }
        }
        return out.toByteArray();
    }

    /** Decodes a response of the expected kind; items are {@link Labels} for SERIES, strings otherwise. */
    public static ShardRouter.Answer<Object> decodeResponse(MetadataRequest.Kind expected, byte[] bytes) {
        SelectCodec.In in = new SelectCodec.In(bytes, "metadata response");
        in.magic(RESPONSE_MAGIC);
        MetadataRequest.Kind kind = kind(in);
        if (kind != expected) throw new SelectFormatException("metadata response: kind " + kind + ", expected " + expected);
        int ns = in.count("served count", 1);
        List<Integer> served = new ArrayList<>(Math.min(ns, 1 << 12));
        for (int i = 0; i < ns; i++) served.add(in.count("served shard"));
        int n = in.count("item count");
        if (n > in.remaining()) {
            throw new SelectFormatException("metadata response: " + n + " items claimed but only " + in.remaining() + " bytes remain");
        }
        List<Object> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (kind == MetadataRequest.Kind.SERIES) {
                int nl = in.count("label count", 2);
                String[] kv = new String[nl * 2];
                for (int j = 0; j < nl; j++) {
                    kv[2 * j] = in.str("label name");
                    kv[2 * j + 1] = in.str("label value");
                }
                items.add(Labels.of(kv));
            } else {
                items.add(in.str("item"));
            }
        }
        in.end();
        return new ShardRouter.Answer<>(served, items);
    }

    private static MetadataRequest.Kind kind(SelectCodec.In in) {
        int k = in.u8("kind");
        if (k >= KINDS.length) throw new SelectFormatException("metadata: unknown kind " + k);
        return KINDS[k];
    }
}
