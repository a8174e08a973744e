package dev.strata.store.encoding;

class DodTimestampCodecTest extends TimestampCodecRoundTripTestCase {
    @Override protected TimestampCodec codec() { return new DodTimestampCodec(); }
    @Override protected boolean mustAccept(Kind kind, boolean regular) { return true; }
}
