package dev.strata.ingest.fuzz;

import java.util.Arrays;
import java.util.Random;

/** Byte-level mutations of a valid input, for the seeded smoke runs of the fuzz targets. */
public final class Mutations {
    private Mutations() {}

    /** One to four random edits of {@code seed}: bit flips, byte values, truncation, duplicated or inserted slices. */
    public static byte[] mutate(byte[] seed, Random rnd) {
        byte[] b = seed.clone();
        for (int edits = 1 + rnd.nextInt(4); edits > 0; edits--) {
            if (b.length == 0) return new byte[] {(byte) rnd.nextInt(256)};
            int at = rnd.nextInt(b.length);
            switch (rnd.nextInt(6)) {
                case 0 -> b[at] ^= (byte) (1 << rnd.nextInt(8));
                case 1 -> b[at] = (byte) new int[] {0, 0x7F, 0x80, 0xFF, rnd.nextInt(256)}[rnd.nextInt(5)];
                case 2 -> b = Arrays.copyOf(b, at);
                case 3 -> { // duplicate a slice in place (repeated fields, nested lengths that no longer add up)
                    int len = Math.min(b.length - at, 1 + rnd.nextInt(16));
                    byte[] out = new byte[b.length + len];
                    System.arraycopy(b, 0, out, 0, at + len);
                    System.arraycopy(b, at, out, at + len, b.length - at);
                    b = out;
                }
                case 4 -> { // insert random bytes
                    int len = 1 + rnd.nextInt(8);
                    byte[] out = new byte[b.length + len];
                    System.arraycopy(b, 0, out, 0, at);
                    for (int i = 0; i < len; i++) out[at + i] = (byte) rnd.nextInt(256);
                    System.arraycopy(b, at, out, at + len, b.length - at);
                    b = out;
                }
                default -> { // a large varint where a small one was
                    byte[] big = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07};
                    byte[] out = new byte[b.length + big.length];
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(big, 0, out, at, big.length);
                    System.arraycopy(b, at, out, at + big.length, b.length - at);
                    b = out;
                }
            }
        }
        return b;
    }
}
