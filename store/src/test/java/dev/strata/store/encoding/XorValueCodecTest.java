package dev.strata.store.encoding;

class XorValueCodecTest extends ValueCodecRoundTripTestCase {
    @Override protected ValueCodec codec() { return new XorValueCodec(); }
    @Override protected boolean mustAccept(Kind kind, boolean regular) { return true; }
}
