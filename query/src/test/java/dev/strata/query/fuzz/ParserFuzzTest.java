package dev.strata.query.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzz test of the PromQL parser (contract in {@link ParserTargets}). Regression mode
 * in the normal build: the inputs under {@code src/test/resources/dev/strata/query/fuzz/ParserFuzzTestInputs/parse/}.
 * To fuzz (findings land in that directory):
 * <pre>
 * JAZZER_FUZZ=1 ./mvnw -B -pl query -am test -Djazzer.hooks=true -Dsurefire.failIfNoSpecifiedTests=false -Dtest='ParserFuzzTest'
 * </pre>
 */
class ParserFuzzTest {
    @FuzzTest(maxDuration = "5m")
    void parse(byte[] data) {
        ParserTargets.parse(new String(data, java.nio.charset.StandardCharsets.UTF_8));
    }
}
