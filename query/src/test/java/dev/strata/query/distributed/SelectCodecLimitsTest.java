package dev.strata.query.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.index.Matcher;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hostile node-to-node bodies: declared counts are checked against the bytes before allocating; limits travel. */
class SelectCodecLimitsTest {

    /** The 26-byte body from the security report: a select request declaring 2^31 - 1 shards. */
    @Test
    void hugeShardCountIsRejectedBeforeAllocating() {
        ByteBuffer b = ByteBuffer.allocate(26);
        b.putInt(SelectCodec.REQUEST_MAGIC).put((byte) 1).putLong(0).putLong(1);
        b.put(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07}); // varint 2^31 - 1
        String msg = assertThrows(SelectFormatException.class, () -> SelectCodec.decodeRequest(b.array())).getMessage();
        assertTrue(msg.contains("shard count 2147483647 cannot fit"), msg);
    }

    @Test
    void hugeCountsInResponsesAreRejected() {
        // served count 0, series count 2^31 - 1
        ByteBuffer b = ByteBuffer.allocate(11);
        b.putInt(SelectCodec.RESPONSE_MAGIC).put((byte) 1).put((byte) 0);
        b.put(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07});
        String msg = assertThrows(SelectFormatException.class, () -> SelectCodec.decodeResponse(b.array())).getMessage();
        assertTrue(msg.contains("series count 2147483647 cannot fit"), msg);
        // one series declaring 2^30 labels: kv would be an int overflow / huge array
        ByteBuffer c = ByteBuffer.allocate(12);
        c.putInt(SelectCodec.RESPONSE_MAGIC).put((byte) 1).put((byte) 0).put((byte) 1);
        c.put(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x04});
        msg = assertThrows(SelectFormatException.class, () -> SelectCodec.decodeResponse(c.array())).getMessage();
        assertTrue(msg.contains("label count 1073741824 cannot fit"), msg);
    }

    @Test
    void limitsRoundTripAndVersion1IsStillRead() {
        SelectRequest r = new SelectRequest(List.of(1, 2), List.of(Matcher.eq("__name__", "up")), 5, 10, 120_000, 50_000_000);
        assertEquals(r, SelectCodec.decodeRequest(SelectCodec.encodeRequest(r)));
        ByteBuffer v1 = ByteBuffer.allocate(4 + 1 + 16 + 1 + 1);
        v1.putInt(SelectCodec.REQUEST_MAGIC).put((byte) 1).putLong(5).putLong(10).put((byte) 0).put((byte) 0);
        assertEquals(new SelectRequest(List.of(), List.of(), 5, 10), SelectCodec.decodeRequest(v1.array()));
    }
}
