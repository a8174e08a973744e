package dev.strata.ingest.sharding;

import dev.strata.ingest.protocol.Utf8Bytes;
import dev.strata.ingest.protocol.WriteBatch;
import dev.strata.store.model.XxHash64;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Computes, straight from a {@link WriteBatch}'s UTF-8 bytes, the same hashes {@code Labels.hash()}
 * and {@code Labels.hashOf(shardKeyNames)} give (XXH64 seed 0 over {@code name 0xFF value 0xFF} per
 * label in canonical order), without building Strings. One instance per thread (scratch buffer).
 */
public final class BatchHasher {
    private final byte[][] keyNames;
    private byte[] scratch = new byte[512];
    private long keyHash;
    private long fullHash;

    public BatchHasher(String[] sortedShardKeyNames) {
        keyNames = new byte[sortedShardKeyNames.length][];
        for (int i = 0; i < keyNames.length; i++) keyNames[i] = sortedShardKeyNames[i].getBytes(StandardCharsets.UTF_8);
    }

    /** Hashes series {@code s}; read the results with {@link #keyHash()} and {@link #fullHash()}. */
    public void hash(WriteBatch b, int s) {
        byte[] bytes = b.bytes();
        int start = b.labelStart(s), end = start + b.labelCount(s);
        // Full label set; remember where the shard-key labels landed in the scratch buffer.
        int n = 0;
        int keys = 0, keyStart = 0, keyEnd = 0;
        for (int l = start; l < end; l++) {
            boolean key = isKey(bytes, b.nameOff(l), b.nameLen(l));
            if (key) {
                keys++;
                keyStart = n;
            }
            n = put(bytes, b.nameOff(l), b.nameLen(l), b.valueOff(l), b.valueLen(l), n);
            if (key) keyEnd = n;
        }
        fullHash = XxHash64.hash(scratch, 0, n, 0L);
        if (keys <= 1) {
            // The usual case (shard key = __name__): the key's bytes are one contiguous range.
            keyHash = XxHash64.hash(scratch, keyStart, keyEnd - keyStart, 0L);
            return;
        }
        // Several key labels: hash them as their own sequence, after the full set in the buffer.
        int k = n;
        for (int l = start; l < end; l++) {
            if (isKey(bytes, b.nameOff(l), b.nameLen(l))) {
                k = put(bytes, b.nameOff(l), b.nameLen(l), b.valueOff(l), b.valueLen(l), k);
            }
        }
        keyHash = XxHash64.hash(scratch, n, k - n, 0L);
    }

    private boolean isKey(byte[] bytes, int off, int len) {
        for (byte[] k : keyNames) if (Utf8Bytes.equals(bytes, off, len, k, 0, k.length)) return true;
        return false;
    }

    private int put(byte[] src, int no, int nl, int vo, int vl, int n) {
        int need = n + nl + vl + 2;
        if (need > scratch.length) scratch = Arrays.copyOf(scratch, Math.max(need, scratch.length * 2));
        System.arraycopy(src, no, scratch, n, nl);
        n += nl;
        scratch[n++] = (byte) 0xFF;
        System.arraycopy(src, vo, scratch, n, vl);
        n += vl;
        scratch[n++] = (byte) 0xFF;
        return n;
    }

    public long keyHash() { return keyHash; }
    public long fullHash() { return fullHash; }
}
