package dev.strata.store.encoding;

class DecimalValueCodecTest extends ValueCodecRoundTripTestCase {
    @Override protected ValueCodec codec() { return new DecimalValueCodec(); }
    @Override protected boolean mustAccept(Kind kind, boolean regular) { return kind == Kind.DECIMAL || kind == Kind.COUNTER || kind == Kind.HUGE; }
}
