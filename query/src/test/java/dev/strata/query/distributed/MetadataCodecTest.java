package dev.strata.query.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.index.Matcher;
import dev.strata.store.model.Labels;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetadataCodecTest {

    @Test
    void requestsAndResponsesRoundTrip() {
        MetadataRequest r = new MetadataRequest(MetadataRequest.Kind.LABEL_VALUES, List.of(0, 7, 300), "instance",
                List.of(Matcher.eq("job", "api"), Matcher.re("zone", "z.*")), -5, 1_700_000_000_000L, 10);
        assertEquals(r, MetadataCodec.decodeRequest(MetadataCodec.encodeRequest(r)));
        List<Labels> series = List.of(Labels.of("__name__", "up", "job", "ä"), Labels.EMPTY);
        ShardRouter.Answer<Object> a = MetadataCodec.decodeResponse(MetadataRequest.Kind.SERIES,
                MetadataCodec.encodeResponse(MetadataRequest.Kind.SERIES, List.of(3, 4), series));
        assertEquals(List.of(3, 4), a.served());
        assertEquals(series, a.items());
        ShardRouter.Answer<Object> names = MetadataCodec.decodeResponse(MetadataRequest.Kind.LABEL_NAMES,
                MetadataCodec.encodeResponse(MetadataRequest.Kind.LABEL_NAMES, List.of(), List.of("a", "b")));
        assertEquals(List.of("a", "b"), names.items());
    }

    @Test
    void corruptInputIsATypedErrorNamingTheProblem() {
        byte[] good = MetadataCodec.encodeResponse(MetadataRequest.Kind.LABEL_NAMES, List.of(1), List.of("job", "zone"));
        String truncated = assertThrows(SelectFormatException.class, () -> MetadataCodec.decodeResponse(
                MetadataRequest.Kind.LABEL_NAMES, Arrays.copyOf(good, good.length - 2))).getMessage();
        assertTrue(truncated.contains("metadata response"), truncated);
        String kind = assertThrows(SelectFormatException.class, () -> MetadataCodec.decodeResponse(
                MetadataRequest.Kind.SERIES, good)).getMessage();
        assertTrue(kind.contains("expected SERIES"), kind);
        byte[] badKind = MetadataCodec.encodeRequest(new MetadataRequest(MetadataRequest.Kind.SERIES, List.of(1), "",
                List.of(), 0, 1, 0));
        badKind[5] = 9;
        String unknown = assertThrows(SelectFormatException.class, () -> MetadataCodec.decodeRequest(badKind)).getMessage();
        assertTrue(unknown.contains("unknown kind 9"), unknown);
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        assertTrue(assertThrows(SelectFormatException.class, () -> MetadataCodec.decodeResponse(MetadataRequest.Kind.LABEL_NAMES,
                trailing)).getMessage().contains("trailing"));
    }

    @Test
    void annotationPositionsMoveIntoTheUsersQuery() {
        String query = "1 +\n  avg   by(zone)(rate(g[5m]))";
        dev.strata.query.parser.Parser.Parsed parsed = dev.strata.query.parser.Parser.parseWithPositions(query);
        AggregationPushdown.Pushed p = AggregationPushdown.rewrite(parsed.expr()).pushed().get(0);
        AnnotationPositions at = AnnotationPositions.of(p.as("sum"), p.aggregate(), parsed, query);
        // "sum by (zone) (rate(g[5m]))": g[5m] starts at column 21; in the query at line 2, column 23
        assertEquals("PromQL info: not a counter (2:23)", at.map("PromQL info: not a counter (1:21)"));
        assertEquals("no position", at.map("no position"));
    }
}
