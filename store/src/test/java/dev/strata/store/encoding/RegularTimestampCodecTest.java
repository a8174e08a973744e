package dev.strata.store.encoding;

class RegularTimestampCodecTest extends TimestampCodecRoundTripTestCase {
    @Override protected TimestampCodec codec() { return new RegularTimestampCodec(); }
    @Override protected boolean mustAccept(Kind kind, boolean regular) { return regular; }
}
