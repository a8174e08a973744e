package dev.strata.query.remote;

/** Test-side XOR chunk reader, written from the format description (docs/format/remote-read.md). */
final class XorChunkReader {
    private final byte[] b;
    private int bit = 16;
    private int read;
    long t;
    double v;
    private long delta;
    private int leading, trailing;

    XorChunkReader(byte[] b) {
        this.b = b;
    }

    int count() {
        return ((b[0] & 0xff) << 8) | (b[1] & 0xff);
    }

    void next() {
        if (read == 0) {
            long z = uvarint();
            t = (z >>> 1) ^ -(z & 1);
            v = Double.longBitsToDouble(bits(64));
        } else if (read == 1) {
            delta = uvarint();
            t += delta;
            value();
        } else {
            int prefix = 0;
            for (int i = 0; i < 4; i++) {
                prefix = (prefix << 1);
                if (bits(1) == 0) break;
                prefix |= 1;
            }
            long dod = 0;
            int sz = switch (prefix) {
                case 0b0 -> 0;
                case 0b10 -> 14;
                case 0b110 -> 17;
                case 0b1110 -> 20;
                default -> 64;
            };
            if (sz == 64) {
                dod = bits(64);
            } else if (sz > 0) {
                long x = bits(sz);
                if (x > (1L << (sz - 1))) x -= 1L << sz;
                dod = x;
            }
            delta += dod;
            t += delta;
            value();
        }
        read++;
    }

    private void value() {
        if (bits(1) == 0) return;
        if (bits(1) == 1) {
            leading = (int) bits(5);
            int sig = (int) bits(6);
            if (sig == 0) sig = 64;
            trailing = 64 - leading - sig;
        }
        long x = bits(64 - leading - trailing) << trailing;
        v = Double.longBitsToDouble(Double.doubleToRawLongBits(v) ^ x);
    }

    private long uvarint() {
        long r = 0;
        for (int shift = 0; ; shift += 7) {
            long x = bits(8);
            r |= (x & 0x7f) << shift;
            if ((x & 0x80) == 0) return r;
        }
    }

    private long bits(int n) {
        long r = 0;
        for (int i = 0; i < n; i++) {
            r = (r << 1) | ((b[bit >>> 3] >>> (7 - (bit & 7))) & 1);
            bit++;
        }
        return r;
    }
}
