package dev.strata.store.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.store.model.Labels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompressionReportTest {
    private final long seed = Long.getLong("seed", System.nanoTime());

    private Path write(Path dir, int series, int samples, Random rnd) throws IOException {
        Path f = dir.resolve("small.jsonl.gz");
        try (Writer w = new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(f)), StandardCharsets.UTF_8)) {
            for (int s = 0; s < series; s++) {
                w.write("{\"metric\":{\"__name__\":\"m_" + s + "\",\"job\":\"node\",\"path\":\"a\\\"b\\\\c\"},\"values\":[");
                long t = 1_795_294_290_010L;
                long counter = 0;
                for (int i = 0; i < samples; i++) {
                    if (i > 0) w.write(",");
                    String v = switch (s % 4) {
                        case 0 -> Long.toString(counter += rnd.nextInt(100));
                        case 1 -> i % 50 == 7 ? "NaN" : i % 50 == 8 ? "+Inf" : i % 50 == 9 ? "-Inf" : "0.5";
                        case 2 -> Double.toString(rnd.nextGaussian());
                        default -> "0." + rnd.nextInt(1000);
                    };
                    w.write("[" + (t / 1000) + "." + String.format("%03d", t % 1000) + ",\"" + v + "\"]");
                    t += 15_000 + (s == 3 ? rnd.nextInt(3) : 0);
                }
                w.write("]}\n");
            }
        }
        return f;
    }

    @Test
    void reportsEveryCodecAndEndsWithTheChosenLine(@TempDir Path dir) throws IOException {
        System.out.println("seed=" + seed);
        Path f = write(dir, 8, 700, new Random(seed));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CompressionReport.run(f, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(out);
        String[] lines = out.split("\n");
        assertTrue(out.contains("series: 8\n"), out);
        assertTrue(out.contains("samples: 5600\n"), out);
        for (String codec : new String[] {"gorilla-xor", "const", "decimal"}) {
            assertTrue(out.contains("codec " + codec + " "), codec + " missing: " + out);
        }
        Matcher m = Pattern.compile("^chosen: (\\d+\\.\\d+) bytes/sample$").matcher(lines[lines.length - 1]);
        assertTrue(m.matches(), "last line: " + lines[lines.length - 1]);
        double chosen = Double.parseDouble(m.group(1));
        Matcher xor = Pattern.compile("codec gorilla-xor\\s+(\\d+\\.\\d+) bytes/sample").matcher(out);
        assertTrue(xor.find());
        assertTrue(chosen > 0 && chosen <= Double.parseDouble(xor.group(1)), "the encoder never does worse than gorilla-xor: " + out);
    }

    @Test
    void readerParsesLabelsTimestampsAndSpecialValuesExactly() throws IOException {
        String json = "{\"metric\":{\"__name__\":\"up\",\"x\":\"\\u00e9\\n\"},\"extra\":[1,{\"a\":null}],\"values\":[[1795294283.01,\"1.5\"],[1795294284,\"NaN\"],[1795294284.5,\"-Inf\"]]}\n"
            + "{\"values\":[[0.001,\"+Inf\"]],\"metric\":{\"__name__\":\"b\"}}\n";
        List<String> got = new ArrayList<>();
        DatasetReader.read(new StringReader(json), (labels, ts, vs, n) -> {
            StringBuilder sb = new StringBuilder(labels.toString());
            for (int i = 0; i < n; i++) sb.append(' ').append(ts[i]).append('=').append(vs[i]);
            got.add(sb.toString());
        });
        assertEquals(List.of("up{x=\"\u00e9\\n\"} 1795294283010=1.5 1795294284000=NaN 1795294284500=-Infinity", "b{} 1=Infinity"), got);
        assertEquals("b{}", Labels.of("__name__", "b").toString());
    }

    @Test
    void badInputIsAClearError(@TempDir Path dir) throws IOException {
        IOException e = assertThrows(IOException.class, () -> DatasetReader.read(new StringReader("{\"metric\":{\"a\":\"b\"},\"values\":[[1,\"x\"]]}"), (l, t, v, n) -> { }));
        assertTrue(e.getMessage().contains("bad sample value \"x\""), e.getMessage());
        e = assertThrows(IOException.class, () -> DatasetReader.read(new StringReader("{\"metric\" {"), (l, t, v, n) -> { }));
        assertTrue(e.getMessage().contains("expected ':' at offset"), e.getMessage());
        Path missing = dir.resolve("missing.jsonl.gz");
        UncheckedIOException u = assertThrows(UncheckedIOException.class, () -> CompressionReport.run(missing, new PrintStream(new ByteArrayOutputStream())));
        assertTrue(u.getMessage().contains("missing.jsonl.gz"), u.getMessage());
    }
}
