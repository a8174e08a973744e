package dev.strata.ingest.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InfluxLineDecoderTest {
    static WriteBatch decode(String body, InfluxPrecision p) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        WriteBatch out = new WriteBatch();
        InfluxLineDecoder.decode(b, 0, b.length, p, 42_000L, out);
        return out;
    }

    @Test
    void fieldsBecomeSeriesWithTags() {
        WriteBatch b = decode("# comment\n\ncpu,host=a,region=eu-1 usage=0.5,count=3i,big=18446744073709551615u,up=t,ok=FALSE,msg=\"hi, there\" 1700000000000000000\r\n",
                InfluxPrecision.NANOSECONDS);
        assertEquals(5, b.seriesCount());
        assertEquals("{__name__=\"cpu_usage\", host=\"a\", region=\"eu-1\"}", b.describe(0));
        assertEquals(0.5, b.value(0));
        assertEquals(1_700_000_000_000L, b.timestamp(0));
        assertEquals("{__name__=\"cpu_count\", host=\"a\", region=\"eu-1\"}", b.describe(1));
        assertEquals(3.0, b.value(1));
        assertEquals(1.8446744073709552E19, b.value(2));
        assertEquals(1.0, b.value(3));
        assertEquals(0.0, b.value(4));
        assertEquals(1, b.stringFieldsIgnored());
    }

    @Test
    void escapingSanitisingPrecisionAndDefaultTimestamp() {
        WriteBatch b = decode("my\\ meas\\,x,ta\\ g=v\\=1\\,2,9k=é 1x\\=y=2 1700000000", InfluxPrecision.SECONDS);
        assertEquals(1, b.seriesCount());
        assertEquals("{_9k=\"é\", __name__=\"my_meas_x_1x_y\", ta_g=\"v=1,2\"}", b.describe(0));
        assertEquals(1_700_000_000_000L, b.timestamp(0));
        WriteBatch now = decode("m v=1", InfluxPrecision.NANOSECONDS);
        assertEquals(42_000L, now.timestamp(0));
        assertEquals(1_700_000_000_123L, decode("m v=1 1700000000123456", InfluxPrecision.MICROSECONDS).timestamp(0));
        assertEquals(1_700_000_000_123L, decode("m v=1 1700000000123", InfluxPrecision.MILLISECONDS).timestamp(0));
    }

    @Test
    void malformedLinesNameTheLine() {
        for (String bad : new String[] {"m", "m v=abc 1", "m v=\"open", ",t=1 v=1", "m,t v=1", "m v=1 12x", "m v=1,", "m v="}) {
            MalformedRequestException e = assertThrows(MalformedRequestException.class,
                    () -> decode("ok v=1\n" + bad, InfluxPrecision.NANOSECONDS), bad);
            assertTrue(e.getMessage().startsWith("line 2: "), bad + " -> " + e.getMessage());
        }
        assertThrows(MalformedRequestException.class, () -> InfluxPrecision.parse("weeks"));
    }
}
