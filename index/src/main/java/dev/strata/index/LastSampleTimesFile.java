package dev.strata.index;

import java.io.IOException;
import java.util.function.IntToLongFunction;
import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.store.ChecksumIndexInput;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexOutput;

/**
 * The last-sample time of every series as of a commit, kept next to the Lucene segments in the same
 * directory (they change with every scrape, so they are not Lucene doc values). One file per commit,
 * named {@code strata-last-sample-times-<generation>}; the commit's user data names the file, so the
 * Lucene commit is the atomic switch and a crash between writing the file and committing leaves an
 * orphan that the next commit or open deletes. Layout in docs/format/index-last-sample-times.md:
 * <pre>
 *   Header (CodecUtil: magic, "StrataLastSampleTimes", version)
 *   vint shard, vint limit, long[limit] lastSampleMs (big endian; Long.MIN_VALUE for absent ids)
 *   Footer (CodecUtil: magic, algorithm id, CRC32)
 * </pre>
 */
final class LastSampleTimesFile {
    static final String PREFIX = "strata-last-sample-times-";
    static final String CODEC = "StrataLastSampleTimes";
    static final int VERSION = 0;

    private LastSampleTimesFile() {}

    static String name(long generation) {
        return PREFIX + generation;
    }

    /** Writes and fsyncs the file for ids {@code [0, limit)}. */
    static void write(Directory dir, String name, int shard, int limit, IntToLongFunction lastOf) throws IOException {
        try (IndexOutput out = dir.createOutput(name, IOContext.DEFAULT)) {
            CodecUtil.writeHeader(out, CODEC, VERSION);
            out.writeVInt(shard);
            out.writeVInt(limit);
            for (int id = 0; id < limit; id++) out.writeLong(lastOf.applyAsLong(id));
            CodecUtil.writeFooter(out);
        }
        dir.sync(java.util.List.of(name));
    }

    /** Reads the file, verifying header, shard, length and checksum; element i is series i's time. */
    static long[] read(Directory dir, String name, int shard) throws IOException {
        try (ChecksumIndexInput in = dir.openChecksumInput(name, IOContext.READONCE)) {
            long[] values = null;
            Throwable failure = null;
            try {
                CodecUtil.checkHeader(in, CODEC, VERSION, VERSION);
                int fileShard = in.readVInt();
                if (fileShard != shard) {
                    throw new CorruptIndexException("last-sample times are for shard " + fileShard + ", expected " + shard, in);
                }
                int limit = in.readVInt();
                long expectedBytes = in.getFilePointer() + 8L * limit + CodecUtil.footerLength();
                if (limit < 0 || expectedBytes != in.length()) {
                    throw new CorruptIndexException("last-sample times for " + limit + " series need " + expectedBytes
                            + " bytes, file has " + in.length(), in);
                }
                values = new long[limit];
                for (int id = 0; id < limit; id++) values[id] = in.readLong();
            } catch (Throwable t) {
                failure = t;
            }
            CodecUtil.checkFooter(in, failure);
            return values;
        }
    }
}
