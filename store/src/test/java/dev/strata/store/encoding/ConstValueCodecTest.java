package dev.strata.store.encoding;

class ConstValueCodecTest extends ValueCodecRoundTripTestCase {
    @Override protected ValueCodec codec() { return new ConstValueCodec(); }
    @Override protected boolean mustAccept(Kind kind, boolean regular) { return kind == Kind.CONSTANT; }
}
