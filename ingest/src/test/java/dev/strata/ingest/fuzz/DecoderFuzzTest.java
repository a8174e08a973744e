package dev.strata.ingest.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzz tests (Jazzer) of every write-path decoder; the targets and their contract
 * are in {@link DecoderTargets}.
 *
 * <p>In the normal build ({@code JAZZER_FUZZ} unset) each method runs in regression mode: once per
 * input kept under {@code src/test/resources/dev/strata/ingest/fuzz/DecoderFuzzTestInputs/<method>/}
 * (seeds and every crash found so far). To fuzz one target (Jazzer fuzzes one per run; findings are
 * written to that directory, where they become regression inputs):
 * <pre>
 * JAZZER_FUZZ=1 ./mvnw -B -pl ingest -am test -Dsurefire.failIfNoSpecifiedTests=false -Dtest='DecoderFuzzTest#influx'
 * </pre>
 */
class DecoderFuzzTest {
    @FuzzTest(maxDuration = "5m")
    void remoteWrite1(byte[] data) {
        DecoderTargets.remoteWrite1(data);
    }

    @FuzzTest(maxDuration = "5m")
    void remoteWrite2(byte[] data) {
        DecoderTargets.remoteWrite2(data);
    }

    @FuzzTest(maxDuration = "5m")
    void snappyRemoteWrite(byte[] data) {
        DecoderTargets.snappyRemoteWrite(data);
    }

    @FuzzTest(maxDuration = "5m")
    void influx(byte[] data) {
        DecoderTargets.influx(data);
    }

    @FuzzTest(maxDuration = "5m")
    void shardRecord(byte[] data) {
        DecoderTargets.shardRecord(data);
    }

    @FuzzTest(maxDuration = "5m")
    void metadataRecord(byte[] data) {
        DecoderTargets.metadataRecord(data);
    }
}
