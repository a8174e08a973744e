package dev.strata.query.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import dev.strata.query.storage.InMemoryQueryable;
import dev.strata.store.model.Labels;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

/**
 * The remote read handler against an in-memory store: requests are encoded here by hand from
 * prompb's field numbers, responses decoded independently (SAMPLES protobuf; stream frames, CRC-32C
 * and XOR chunks).
 */
class RemoteReadHandlerTest {
    private final InMemoryQueryable store = new InMemoryQueryable();
    private final RemoteReadHandler handler = new RemoteReadHandler(store, Executors.newSingleThreadExecutor(), 1000, 64, 1 << 20);

    RemoteReadHandlerTest() {
        for (int i = 0; i < 300; i++) {
            store.append(Labels.of("__name__", "up", "job", "a"), i * 15_000L, i);
            store.append(Labels.of("__name__", "up", "job", "b"), i * 15_000L, i * 0.5);
        }
        store.append(Labels.of("__name__", "other"), 0, 7);
    }

    /** {@code {__name__="up", job=~"a|b"}} over [start, end], accepting {@code types}. */
    private static byte[] request(long start, long end, String jobRegex, int... types) throws Exception {
        ByteArrayOutputStream q = new ByteArrayOutputStream();
        CodedOutputStream o = CodedOutputStream.newInstance(q);
        o.writeInt64(1, start);
        o.writeInt64(2, end);
        o.writeByteArray(3, matcher(0, "__name__", "up"));
        o.writeByteArray(3, matcher(2, "job", jobRegex));
        ByteArrayOutputStream h = new ByteArrayOutputStream();
        CodedOutputStream ho = CodedOutputStream.newInstance(h);
        ho.writeInt64(1, 15_000);
        ho.writeString(2, "rate");
        ho.writeInt64(3, start);
        ho.writeInt64(4, end);
        ho.flush();
        o.writeByteArray(4, h.toByteArray());
        o.flush();
        ByteArrayOutputStream r = new ByteArrayOutputStream();
        CodedOutputStream ro = CodedOutputStream.newInstance(r);
        ro.writeByteArray(1, q.toByteArray());
        for (int t : types) ro.writeEnum(2, t);
        ro.flush();
        return Snappy.compress(r.toByteArray());
    }

    private static byte[] matcher(int type, String name, String value) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        CodedOutputStream o = CodedOutputStream.newInstance(b);
        o.writeEnum(1, type);
        o.writeString(2, name);
        o.writeString(3, value);
        o.flush();
        return b.toByteArray();
    }

    private FullHttpResponse post(byte[] body) throws Exception {
        return handler.handle(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/v1/read",
                Unpooled.wrappedBuffer(body))).get();
    }

    record Decoded(String labels, List<Long> t, List<Double> v) {}

    private static String labels(List<String[]> ls) {
        StringBuilder s = new StringBuilder();
        for (String[] l : ls) s.append(l[0]).append('=').append(l[1]).append(',');
        return s.toString();
    }

    private static String[] label(byte[] b) throws Exception {
        CodedInputStream in = CodedInputStream.newInstance(b);
        String[] l = {"", ""};
        for (int tag; (tag = in.readTag()) != 0; ) l[(tag >>> 3) - 1] = in.readString();
        return l;
    }

    @Test
    void samplesResponse() throws Exception {
        FullHttpResponse r = post(request(30_000, 60_000, "a|b", 0));
        assertEquals(200, r.status().code(), r.content().toString(StandardCharsets.UTF_8));
        assertEquals("snappy", r.headers().get("Content-Encoding"));
        CodedInputStream resp = CodedInputStream.newInstance(Snappy.uncompress(ByteBufUtil.getBytes(r.content())));
        List<Decoded> got = new ArrayList<>();
        for (int tag; (tag = resp.readTag()) != 0; ) {
            CodedInputStream result = CodedInputStream.newInstance(resp.readByteArray());
            for (int t2; (t2 = result.readTag()) != 0; ) {
                CodedInputStream ts = CodedInputStream.newInstance(result.readByteArray());
                List<String[]> ls = new ArrayList<>();
                List<Long> t = new ArrayList<>();
                List<Double> v = new ArrayList<>();
                for (int t3; (t3 = ts.readTag()) != 0; ) {
                    byte[] m = ts.readByteArray();
                    if ((t3 >>> 3) == 1) {
                        ls.add(label(m));
                    } else {
                        CodedInputStream s = CodedInputStream.newInstance(m);
                        for (int t4; (t4 = s.readTag()) != 0; ) {
                            if ((t4 >>> 3) == 1) v.add(s.readDouble());
                            else t.add(s.readInt64());
                        }
                    }
                }
                got.add(new Decoded(labels(ls), t, v));
            }
        }
        assertEquals(List.of(
                new Decoded("__name__=up,job=a,", List.of(30_000L, 45_000L, 60_000L), List.of(2.0, 3.0, 4.0)),
                new Decoded("__name__=up,job=b,", List.of(30_000L, 45_000L, 60_000L), List.of(1.0, 1.5, 2.0))), got);
    }

    @Test
    void streamedChunksResponse() throws Exception {
        // The client prefers streamed chunks; 300 samples per series make 3 chunks (120, 120, 60), and the
        // 64-byte frame limit puts each chunk in a frame of its own.
        FullHttpResponse r = post(request(0, 10_000_000, "a", 1, 0));
        assertEquals(200, r.status().code(), r.content().toString(StandardCharsets.UTF_8));
        assertEquals(RemoteReadHandler.STREAMED_CONTENT_TYPE, r.headers().get("Content-Type"));
        CodedInputStream in = CodedInputStream.newInstance(ByteBufUtil.getBytes(r.content()));
        List<Integer> chunkSizes = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        int frames = 0;
        while (!in.isAtEnd()) {
            int len = in.readRawVarint32();
            long crc = Integer.toUnsignedLong(Integer.reverseBytes(in.readRawLittleEndian32()));
            byte[] msg = in.readRawBytes(len);
            CRC32C c = new CRC32C();
            c.update(msg);
            assertEquals(c.getValue(), crc, "frame " + frames + " checksum");
            frames++;
            CodedInputStream m = CodedInputStream.newInstance(msg);
            for (int tag; (tag = m.readTag()) != 0; ) {
                if ((tag >>> 3) == 2) {
                    assertEquals(0, m.readInt64());
                    continue;
                }
                CodedInputStream series = CodedInputStream.newInstance(m.readByteArray());
                List<String[]> ls = new ArrayList<>();
                for (int t2; (t2 = series.readTag()) != 0; ) {
                    byte[] b = series.readByteArray();
                    if ((t2 >>> 3) == 1) {
                        ls.add(label(b));
                        continue;
                    }
                    CodedInputStream chunk = CodedInputStream.newInstance(b);
                    long minT = 0, maxT = 0;
                    byte[] data = null;
                    for (int t3; (t3 = chunk.readTag()) != 0; ) {
                        switch (t3 >>> 3) {
                            case 1 -> minT = chunk.readInt64();
                            case 2 -> maxT = chunk.readInt64();
                            case 3 -> assertEquals(1, chunk.readEnum());
                            default -> data = chunk.readByteArray();
                        }
                    }
                    XorChunkReader x = new XorChunkReader(data);
                    chunkSizes.add(x.count());
                    for (int i = 0; i < x.count(); i++) {
                        x.next();
                        times.add(x.t);
                        values.add(x.v);
                    }
                    assertEquals(minT, times.get(times.size() - x.count()));
                    assertEquals(maxT, times.get(times.size() - 1));
                }
                assertEquals("__name__=up,job=a,", labels(ls));
            }
        }
        assertEquals(3, frames);
        assertEquals(List.of(120, 120, 60), chunkSizes);
        for (int i = 0; i < 300; i++) {
            assertEquals(i * 15_000L, times.get(i));
            assertEquals(i, values.get(i));
        }
    }

    @Test
    void limitsAndBadRequests() throws Exception {
        // Both series over all time are 600 samples: within a limit of 1000, over a limit of 500.
        FullHttpResponse ok = post(request(0, 10_000_000, "a|b", 0));
        assertEquals(200, ok.status().code());
        RemoteReadHandler small = new RemoteReadHandler(store, Executors.newSingleThreadExecutor(), 500, 1 << 20, 1 << 20);
        FullHttpResponse over = small.handle(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/v1/read",
                Unpooled.wrappedBuffer(request(0, 10_000_000, "a|b", 0)))).get();
        assertEquals(400, over.status().code());
        assertEquals("exceeded sample limit (500)\n", over.content().toString(StandardCharsets.UTF_8));

        FullHttpResponse notSnappy = post("hello".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, notSnappy.status().code());
        FullHttpResponse badRegex = post(request(0, 1, "(", 0));
        assertEquals(400, badRegex.status().code());
        // RE2 syntax, with Go's (and so Prometheus's) error text.
        assertTrue(badRegex.content().toString(StandardCharsets.UTF_8).contains("error parsing regexp"));
        FullHttpResponse badType = post(request(0, 1, "a", 7));
        assertEquals(400, badType.status().code());
        assertTrue(badType.content().toString(StandardCharsets.UTF_8).contains("none of the requested response types"));
        FullHttpResponse garbage = post(Snappy.compress(new byte[] {(byte) 0x0a, (byte) 0xff}));
        assertEquals(400, garbage.status().code());
    }
}
