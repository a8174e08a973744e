package dev.strata.index;

import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreMode;
import org.roaringbitmap.RoaringBitmap;

/** Collects the series ids of matching documents into a bitmap (no scores); {@link #flush()} after the search. Not thread safe. */
final class SeriesIdCollector implements Collector {
    private final RoaringBitmap out;
    private final LeafSeriesIds leafIds;

    SeriesIdCollector(RoaringBitmap out, LeafSeriesIds leafIds) {
        this.out = out;
        this.leafIds = leafIds;
    }

    private final int[] buffer = new int[1024];
    private int buffered;

    @Override
    public LeafCollector getLeafCollector(LeafReaderContext context) {
        int[] ids = leafIds.of(context.reader());
        return new LeafCollector() {
            @Override
            public void setScorer(Scorable scorer) {}

            @Override
            public void collect(int doc) {
                if (buffered == buffer.length) flush();
                buffer[buffered++] = ids[doc];
            }
        };
    }

    /** Adds the buffered ids to the bitmap; call after the search. Ids arrive mostly ascending, which addN likes. */
    void flush() {
        if (buffered > 0) out.addN(buffer, 0, buffered);
        buffered = 0;
    }

    @Override
    public ScoreMode scoreMode() {
        return ScoreMode.COMPLETE_NO_SCORES;
    }
}
