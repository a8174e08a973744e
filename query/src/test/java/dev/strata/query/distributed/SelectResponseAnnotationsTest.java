package dev.strata.query.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.query.storage.Series;
import dev.strata.store.model.Labels;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Select responses carry a pushed-down evaluation's warnings and infos (version 3), and stay version 1 without. */
class SelectResponseAnnotationsTest {

    @Test
    void annotationsRoundTripAndOnlyThenChangeTheVersion() {
        List<Series> series = List.of(new Series(Labels.of("job", "a"), new long[] {1, 2}, new double[] {3, 4}));
        SelectResponse with = new SelectResponse(List.of(1), series, List.of("PromQL warning: w (1:2)"), List.of("PromQL info: i"));
        byte[] v3 = SelectCodec.encodeResponse(with);
        assertEquals(3, v3[4]);
        SelectResponse back = SelectCodec.decodeResponse(v3);
        assertEquals(with.warnings(), back.warnings());
        assertEquals(with.infos(), back.infos());
        assertEquals(series.get(0).labels(), back.series().get(0).labels());
        byte[] v1 = SelectCodec.encodeResponse(new SelectResponse(List.of(1), series));
        assertEquals(1, v1[4]);
        assertEquals(List.of(), SelectCodec.decodeResponse(v1).warnings());
    }
}
