package dev.strata.store.encoding;

/** Constant run: every value has the same bits (including NaN payloads), stored once as 64 bits. */
public final class ConstValueCodec implements ValueCodec {
    public static final int ID = 2;

    @Override public int id() { return ID; }
    @Override public String name() { return "const"; }

    @Override
    public boolean encode(double[] values, int count, BitWriter out) {
        long bits = Double.doubleToRawLongBits(values[0]);
        for (int i = 1; i < count; i++) {
            if (Double.doubleToRawLongBits(values[i]) != bits) return false;
        }
        out.write(bits, 64);
        return true;
    }

    @Override
    public void decode(BitReader in, int count, double[] dst) {
        double v = Double.longBitsToDouble(in.read(64));
        for (int i = 0; i < count; i++) dst[i] = v;
    }
}
