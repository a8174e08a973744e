package dev.strata.node.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.store.model.Labels;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A small client of a node's Prometheus HTTP API for fault tests: instant queries, parsed. */
public final class PromApi {
    /** Timestamps as exact decimals: seconds with three fractional digits. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** An answer: HTTP status, the raw body, the warnings, and for a matrix, the samples per series. */
    public record Answer(int status, String body, List<String> warnings, Map<String, List<ExactlyOnceCheck.Sample>> matrix) {
        public boolean success() {
            return status == 200 && body.startsWith("{\"status\":\"success\"");
        }

        public int sampleCount() {
            int n = 0;
            for (List<ExactlyOnceCheck.Sample> s : matrix.values()) n += s.size();
            return n;
        }

        @Override
        public String toString() {
            return status + (warnings.isEmpty() ? "" : " warnings " + warnings) + " "
                    + (body.length() > 400 ? body.substring(0, 400) + "..." : body);
        }
    }

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final Duration timeout;

    public PromApi(Duration timeout) {
        this.timeout = timeout;
    }

    /** {@code GET /api/v1/query?query=...&time=...} (plus {@code extra} parameters such as {@code &partial_response=false}). */
    public Answer query(String baseUrl, String promql, long timeMs, String extra) throws IOException, InterruptedException {
        String url = baseUrl + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + "&time=" + timeMs / 1000 + "." + String.format("%03d", timeMs % 1000) + extra;
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).build(),
                HttpResponse.BodyHandlers.ofString());
        return parse(r.statusCode(), r.body());
    }

    /** The body of a plain GET (status pages); an answer other than 200 is an AssertionError. */
    public String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new AssertionError("GET " + url + " answered " + r.statusCode() + ": " + r.body());
        return r.body();
    }

    static Answer parse(int status, String body) throws IOException {
        List<String> warnings = new ArrayList<>();
        Map<String, List<ExactlyOnceCheck.Sample>> matrix = new LinkedHashMap<>();
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            return new Answer(status, body, warnings, matrix); // not JSON (e.g. a proxy's error page)
        }
        for (JsonNode w : root.path("warnings")) warnings.add(w.asText());
        JsonNode data = root.path("data");
        if ("matrix".equals(data.path("resultType").asText())) {
            for (JsonNode series : data.path("result")) {
                Map<String, String> labels = new TreeMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = series.path("metric").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> l = it.next();
                    labels.put(l.getKey(), l.getValue().asText());
                }
                List<ExactlyOnceCheck.Sample> samples = new ArrayList<>();
                for (JsonNode point : series.path("values")) {
                    long ms = point.get(0).decimalValue().movePointRight(3).longValueExact();
                    double v = Double.parseDouble(point.get(1).asText());
                    samples.add(new ExactlyOnceCheck.Sample(ms, Double.doubleToRawLongBits(v)));
                }
                List<ExactlyOnceCheck.Sample> before = matrix.put(Labels.of(labels).toString(), samples);
                if (before != null) samples.addAll(0, before); // the same series twice in one answer: keep both
            }
        }
        return new Answer(status, body, warnings, matrix);
    }
}
