package dev.strata.query.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.strata.query.ast.GoQuote;
import org.junit.jupiter.api.Test;

class ParamParsersTest {

    @Test
    void unixFloatSeconds() {
        assertEquals(123_000, ParamParsers.parseTime("123"));
        assertEquals(123_123, ParamParsers.parseTime("123.123"));
        assertEquals(1_435_781_451_781L, ParamParsers.parseTime("1435781451.781"));
        assertEquals(1_500, ParamParsers.parseTime("1.4996")); // rounded to the millisecond
        assertEquals(-1_500, ParamParsers.parseTime("-1.5"));
        assertEquals(1_000, ParamParsers.parseTime("1e0"));
        assertEquals(500, ParamParsers.parseTime(".5"));
        assertEquals(1_000, ParamParsers.parseTime("+1"));
    }

    @Test
    void rfc3339() {
        assertEquals(1_433_337_718_555L, ParamParsers.parseTime("2015-06-03T13:21:58.555Z"));
        assertEquals(1_433_337_718_000L, ParamParsers.parseTime("2015-06-03T13:21:58Z"));
        assertEquals(1_433_337_718_555L, ParamParsers.parseTime("2015-06-03T13:21:58.555999999Z")); // truncated
        assertEquals(1_433_337_718_500L, ParamParsers.parseTime("2015-06-03T13:21:58.5Z"));
        assertEquals(1_433_337_718_555L, ParamParsers.parseTime("2015-06-03T14:21:58.555+01:00"));
        assertEquals(1_433_337_718_555L, ParamParsers.parseTime("2015-06-03T08:51:58.555-04:30"));
    }

    @Test
    void prometheusMinAndMaxTimeStrings() {
        assertEquals(ParamParsers.MIN_TIME_MS, ParamParsers.parseTime(ParamParsers.MIN_TIME_FORMATTED));
        assertEquals(ParamParsers.MAX_TIME_MS, ParamParsers.parseTime(ParamParsers.MAX_TIME_FORMATTED));
        assertEquals(-9_223_309_901_257_974_000L, ParamParsers.MIN_TIME_MS);
        assertEquals(9_223_309_901_257_974_999L, ParamParsers.MAX_TIME_MS);
        assertEquals("-292273086-05-16T16:47:06Z", ParamParsers.MIN_TIME_FORMATTED);
    }

    @Test
    void badTimes() {
        for (String s : new String[] {"", "abc", "30s", "2015-06-03", "2015-13-03T13:21:58Z", "2015-02-30T13:21:58Z",
                "2015-06-03T24:00:00Z", "2015-06-03T13:21:58", "2015-06-03 13:21:58Z", "1e400", "NaN", "Inf", "0x10", "1_000"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ParamParsers.parseTime(s), s);
            assertEquals("cannot parse \"" + s + "\" to a valid timestamp", e.getMessage());
        }
    }

    @Test
    void durations() {
        assertEquals(5_400_000_000_000L, ParamParsers.parseDurationNanos("1h30m"));
        assertEquals(300_000_000_000L, ParamParsers.parseDurationNanos("5m"));
        assertEquals(86_400_000_000_000L, ParamParsers.parseDurationNanos("1d"));
        assertEquals(7 * 86_400_000_000_000L, ParamParsers.parseDurationNanos("1w"));
        assertEquals(365 * 86_400_000_000_000L, ParamParsers.parseDurationNanos("1y"));
        assertEquals(500_000_000L, ParamParsers.parseDurationNanos("500ms"));
        assertEquals(1_500_000_000L, ParamParsers.parseDurationNanos("1.5"));
        assertEquals(15_000_000_000L, ParamParsers.parseDurationNanos("15"));
        assertEquals(0, ParamParsers.parseDurationNanos("0"));
        assertEquals(-5_000_000_000L, ParamParsers.parseDurationNanos("-5"));
        assertEquals(3_723_004_000_000L, ParamParsers.parseDurationNanos("1h2m3s4ms"));
    }

    @Test
    void badDurations() {
        for (String s : new String[] {"", "5m1h", "1.5h", "5mm", "h", "5x", "1m1m", " 5m", "-5m"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ParamParsers.parseDurationNanos(s), s);
            assertEquals("cannot parse \"" + s + "\" to a valid duration", e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ParamParsers.parseDurationNanos("1e10"));
        assertEquals("cannot parse \"1e10\" to a valid duration. It overflows int64", e.getMessage());
        // Larger than Go's time.Duration (about 292 years).
        assertThrows(IllegalArgumentException.class, () -> ParamParsers.parseDurationNanos("300y"));
    }

    @Test
    void limits() {
        assertEquals(0, ParamParsers.parseLimit(""));
        assertEquals(10, ParamParsers.parseLimit("10"));
        assertEquals(10, ParamParsers.parseLimit("+10"));
        assertEquals("strconv.Atoi: parsing \"x\": invalid syntax",
                assertThrows(IllegalArgumentException.class, () -> ParamParsers.parseLimit("x")).getMessage());
        assertEquals("strconv.Atoi: parsing \"99999999999999999999\": value out of range",
                assertThrows(IllegalArgumentException.class, () -> ParamParsers.parseLimit("99999999999999999999")).getMessage());
        assertEquals("limit must be non-negative",
                assertThrows(IllegalArgumentException.class, () -> ParamParsers.parseLimit("-1")).getMessage());
    }

    @Test
    void goQuoting() {
        assertEquals("\"a\\\"b\\\\c\\n\\x01é\"", GoQuote.quote("a\"b\\c\n\u0001é"));
    }

    @Test
    void utf8LabelNameUnescaping() {
        assertEquals("foo", LabelNameEscaping.unescape("foo"));
        assertEquals("foo.bar", LabelNameEscaping.unescape("U__foo_2e_bar"));
        assertEquals("a_b", LabelNameEscaping.unescape("U__a__b"));
        assertEquals("日本", LabelNameEscaping.unescape("U___65e5__672c_"));
        assertEquals("U__bad_zz_", LabelNameEscaping.unescape("U__bad_zz_"));
        assertEquals("U__open_2e", LabelNameEscaping.unescape("U__open_2e"));
    }
}
