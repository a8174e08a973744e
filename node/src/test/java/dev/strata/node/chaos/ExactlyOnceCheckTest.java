package dev.strata.node.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.node.chaos.ExactlyOnceCheck.Report;
import dev.strata.node.chaos.ExactlyOnceCheck.Sample;
import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fault tests' checker catches each way a store can get it wrong, and reads Prometheus answers exactly. */
class ExactlyOnceCheckTest {
    private static final String A = "m{s=\"a\"}";
    private static final String B = "m{s=\"b\"}";

    /** Two series, three acknowledged samples each at 1000, 2000, 3000; one unacknowledged at 4000 for A. */
    private final SentSamples sent = sent();

    private static SentSamples sent() {
        SentSamples s = new SentSamples(List.of(Labels.of("__name__", "m", "s", "a"), Labels.of("__name__", "m", "s", "b")),
                1000, 1000, 5, 42);
        for (int k = 0; k < 3; k++) s.markAcknowledged(k);
        s.markSending(3);
        return s;
    }

    private Map<String, List<Sample>> exactRead(boolean withUnacknowledged) {
        Map<String, List<Sample>> read = new HashMap<>();
        for (int i = 0; i < 2; i++) {
            List<Sample> samples = new ArrayList<>();
            for (int k = 0; k < (withUnacknowledged ? 4 : 3); k++) {
                samples.add(new Sample(sent.timestamp(k), Double.doubleToRawLongBits(sent.values(k)[i])));
            }
            read.put(sent.series().get(i).toString(), samples);
        }
        return read;
    }

    private Report check(Map<String, List<Sample>> read) {
        return ExactlyOnceCheck.check(sent.acknowledgedSamples(), sent.unacknowledgedSamples(), read);
    }

    @Test
    void exactAnswersPassWithOrWithoutTheUnacknowledgedStep() {
        assertEquals(3, sent.acknowledgedSteps());
        assertEquals(1, sent.unacknowledgedSteps());
        assertTrue(check(exactRead(false)).ok(), check(exactRead(false)).toString());
        Report withMaybe = check(exactRead(true));
        assertTrue(withMaybe.ok(), withMaybe.toString());
        assertEquals(8, withMaybe.checked());
    }

    @Test
    void aDroppedAcknowledgedSampleIsMissing() {
        Map<String, List<Sample>> read = exactRead(false);
        read.get(B).remove(1);
        Report r = check(read);
        assertFalse(r.ok());
        assertEquals(1, r.missing(), r.toString());
        assertTrue(r.examples().get(0).contains(B + " @2000"), r.toString());
    }

    @Test
    void aMissingSeriesCountsAllItsAcknowledgedSamples() {
        Map<String, List<Sample>> read = exactRead(false);
        read.remove(A);
        assertEquals(3, check(read).missing());
    }

    @Test
    void aDuplicatedSampleIsCaughtAcknowledgedOrNot() {
        Map<String, List<Sample>> read = exactRead(true);
        read.get(A).add(read.get(A).get(0));
        read.get(A).add(read.get(A).get(3)); // the unacknowledged one, twice
        Report r = check(read);
        assertEquals(2, r.duplicated(), r.toString());
        assertEquals(0, r.missing());
    }

    @Test
    void aWrongValueBitIsCaught() {
        Map<String, List<Sample>> read = exactRead(false);
        Sample s = read.get(A).get(2);
        read.get(A).set(2, new Sample(s.timestampMs(), s.valueBits() ^ 1));
        Report r = check(read);
        assertEquals(1, r.wrongValue(), r.toString());
    }

    @Test
    void aSampleNeverSentIsCaught() {
        Map<String, List<Sample>> read = exactRead(false);
        read.get(B).add(new Sample(4500, 0));
        read.put("m{s=\"c\"}", List.of(new Sample(1000, 0)));
        assertEquals(2, check(read).unexpected());
    }

    @Test
    void bucketsSplitEachKindOfProblemByTimestamp() {
        Map<String, List<Sample>> read = exactRead(true);
        read.get(B).remove(1); // B @2000 missing
        read.get(A).add(read.get(A).get(0)); // A @1000 twice
        Map<String, Report> byBucket = ExactlyOnceCheck.checkByBucket(sent.acknowledgedSamples(), sent.unacknowledgedSamples(),
                read, ts -> ts <= 1000 ? "early" : "late");
        assertEquals(java.util.Set.of("early", "late"), byBucket.keySet());
        Report early = byBucket.get("early");
        Report late = byBucket.get("late");
        assertEquals(2, early.acknowledged());
        assertEquals(0, early.missing());
        assertEquals(1, early.duplicated());
        assertEquals(4, late.acknowledged(), late.toString());
        assertEquals(1, late.missing(), late.toString());
        assertEquals(0, late.duplicated());
        assertEquals(check(read).checked(), early.checked() + late.checked());
    }

    @Test
    void anAnswerIsReadWithExactTimestampsAndValueBits() throws Exception {
        PromApi.Answer a = PromApi.parse(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                + "{\"metric\":{\"s\":\"a\",\"__name__\":\"m\"},\"values\":[[1.001,\"0.1\"],[1763771451.78,\"1e-07\"],[2,\"-3.0000000000000004\"]]}]},"
                + "\"warnings\":[\"partial\"]}");
        assertTrue(a.success());
        assertEquals(List.of("partial"), a.warnings());
        assertEquals(List.of(new Sample(1001, Double.doubleToRawLongBits(0.1)), new Sample(1763771451780L, Double.doubleToRawLongBits(1e-7)),
                new Sample(2000, Double.doubleToRawLongBits(-3.0000000000000004))), a.matrix().get(A));
    }
}
