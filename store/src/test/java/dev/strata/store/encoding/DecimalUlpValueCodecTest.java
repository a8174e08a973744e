package dev.strata.store.encoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The shared round-trip suite for decimal-ulp, plus the float-accumulated shapes it exists for. */
class DecimalUlpValueCodecTest extends ValueCodecRoundTripTestCase {
    @Override protected ValueCodec codec() { return new DecimalUlpValueCodec(); }

    /**
     * Every finite input with |v| <= 2^53 fits (the corrections absorb what the integers miss);
     * NaN, infinities and larger magnitudes (random bit patterns) do not.
     */
    @Override protected boolean mustAccept(Kind kind, boolean regular) { return kind == Kind.DECIMAL || kind == Kind.COUNTER || kind == Kind.HUGE; }

    /**
     * A counter summed in binary floating point, as exporters do (node_pressure_cpu_waiting_seconds_total:
     * 478.62926600000003): not an exact decimal, so decimal declines it; here it round-trips bit for bit.
     */
    static double[] floatAccumulated(Random rnd, int n) {
        double[] v = new double[n];
        double sum = 400 + rnd.nextInt(100);
        for (int i = 0; i < n; i++) {
            sum += rnd.nextInt(1_000_000) / 1e6;
            v[i] = sum;
        }
        return v;
    }

    /** Seconds since the epoch with 7 digits after the point (node_time_seconds): more digits than a double holds. */
    static double[] clockSeconds(Random rnd, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = Double.parseDouble((1_795_294_290L + i) + "." + String.format("%07d", 1_770_000 + rnd.nextInt(10_000)));
        return v;
    }

    private static byte[] encode(ValueCodec c, double[] v) {
        ByteArrayBuilder buf = new ByteArrayBuilder();
        BitWriter w = new BitWriter().reset(buf);
        assertTrue(c.encode(v, v.length, w), c.name() + " declined");
        w.finish();
        return buf.toByteArray();
    }

    private void assertRoundTrip(double[] v, byte[] b) {
        double[] out = new double[v.length];
        BitReader r = new BitReader().reset(b, 0, b.length);
        codec().decode(r, v.length, out);
        assertFalse(r.overrun(), "seed=" + seed);
        for (int i = 0; i < v.length; i++) {
            assertEquals(Double.doubleToRawLongBits(v[i]), Double.doubleToRawLongBits(out[i]), "value " + i + " (" + v[i] + ") seed=" + seed);
        }
    }

    @Test
    void floatAccumulatedSumsTakeLessThanHalfOfGorillaXor() {
        for (double[] v : new double[][] {floatAccumulated(rnd, 240), clockSeconds(rnd, 240)}) {
            assertFalse(new DecimalBlockValueCodec().encode(v, v.length, new BitWriter().reset(new ByteArrayBuilder())), "an exact decimal; seed=" + seed);
            byte[] ulp = encode(codec(), v);
            byte[] xor = encode(new XorValueCodec(), v);
            assertRoundTrip(v, ulp);
            assertTrue(ulp.length * 2 < xor.length, "decimal-ulp " + ulp.length + " B vs gorilla-xor " + xor.length + " B seed=" + seed);
        }
    }

    @Test
    void negativeZeroTinyAndLargeValuesRoundTrip() {
        double[] v = {-0.0, 0.0, Double.MIN_VALUE, -Double.MIN_NORMAL, 1e-300, 0x1p53, -0x1p53, 0.1 + 0.2, -478.62926600000003, 1e15 + 0.5};
        assertRoundTrip(v, encode(codec(), v));
    }

    @Test
    void valuesBeyondTwoToThe53AreDeclined() {
        double[] v = {1.0, 0x1p54};
        assertFalse(codec().encode(v, v.length, new BitWriter().reset(new ByteArrayBuilder())));
    }

    @Test
    void theChunkWriterPicksDecimalUlpForFloatAccumulatedSums() {
        double[] v = floatAccumulated(rnd, 240);
        long[] ts = new long[v.length];
        for (int i = 0; i < ts.length; i++) ts[i] = 1_795_294_290_000L + 15_000L * i;
        ChunkWriter w = new ChunkWriter();
        ByteArrayBuilder out = new ByteArrayBuilder();
        w.write(ts, v, v.length, out);
        assertEquals(DecimalUlpValueCodec.ID, w.lastValueCodec(), "seed=" + seed);
        byte[] c = out.toByteArray();
        double[] rv = new double[v.length];
        new ChunkReader().decode(c, 0, c.length, new long[v.length], rv);
        for (int i = 0; i < v.length; i++) assertEquals(Double.doubleToRawLongBits(v[i]), Double.doubleToRawLongBits(rv[i]), "seed=" + seed);
    }

    @Test
    void aCorrectionWidthAbove64IsNamed() {
        double[] v = {478.62926600000003};
        byte[] good = encode(codec(), v);
        // The integers' payload: e:5 order:2 shift:6, one length-prefixed base (len:7 bits); then the corrections' w:7.
        ByteArrayBuilder buf = new ByteArrayBuilder();
        BitWriter w = new BitWriter().reset(buf);
        BitReader r = new BitReader().reset(good, 0, good.length);
        int e = (int) r.read(5), order = (int) r.read(2), shift = (int) r.read(6);
        int len = (int) r.read(7);
        long base = r.read(len);
        w.write(e, 5);
        w.write(order, 2);
        w.write(shift, 6);
        w.write(len, 7);
        w.write(base, len);
        assertEquals(1, order, "one sample: order 1 (a base, no residual blocks) is the cheapest");
        w.write(100, 7); // the corrections' block width
        w.finish();
        byte[] bad = buf.toByteArray();
        CorruptChunkException ex = assertThrows(CorruptChunkException.class, () -> codec().decode(new BitReader().reset(bad, 0, bad.length), 1, new double[1]));
        assertTrue(ex.getMessage().contains("decimal-ulp: correction width 100 > 64"), ex.getMessage());
    }
}
