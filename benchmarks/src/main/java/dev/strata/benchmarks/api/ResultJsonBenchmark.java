package dev.strata.benchmarks.api;

import dev.strata.store.json.JsonWriter;
import dev.strata.query.api.ResultJson;
import dev.strata.query.engine.Matrix;
import dev.strata.query.engine.SeriesPoints;
import dev.strata.store.model.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Encoding a range-query result (100 series x 1,000 points) as Prometheus JSON; the score is
 * nanoseconds per sample. {@code values}: counters (integers), gauges (one or two decimals) or rates
 * (full-precision doubles such as 0.6666666666666666, the expensive case for shortest formatting).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ResultJsonBenchmark {
    static final int SERIES = 100;
    static final int POINTS = 1_000;

    @Param({"counters", "gauges", "rates"})
    public String values;

    private Matrix matrix;

    @Setup
    public void setup() {
        Random r = new Random(42);
        List<SeriesPoints> series = new ArrayList<>();
        for (int s = 0; s < SERIES; s++) {
            long[] ts = new long[POINTS];
            double[] vs = new double[POINTS];
            for (int i = 0; i < POINTS; i++) {
                ts[i] = 1_700_000_000_000L + i * 15_000L + (s % 3) * 7;
                vs[i] = switch (values) {
                    case "counters" -> 1000 * s + 17 * i;
                    case "gauges" -> Math.round(r.nextDouble() * 10_000) / 100.0;
                    default -> (r.nextInt(1000) + 1) / (double) (r.nextInt(299) + 1);
                };
            }
            series.add(new SeriesPoints(Labels.of("__name__", "http_requests_total", "job", "api", "instance",
                    "host-" + s + ":9090", "code", "200"), ts, vs));
        }
        matrix = new Matrix(series);
    }

    @Benchmark
    @OperationsPerInvocation(SERIES * POINTS)
    public int encodeMatrix() {
        JsonWriter w = new JsonWriter(1 << 20);
        ResultJson.result(matrix, w);
        return w.size();
    }
}
