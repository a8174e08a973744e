package dev.strata.store.encoding;

/** Residual order 0 forced, so each order's packing is exercised on every input. */
class DecimalOrder0ValueCodecTest extends ValueCodecRoundTripTestCase {
    @Override protected ValueCodec codec() { return new DecimalValueCodec(0); }
    @Override protected boolean mustAccept(Kind kind, boolean regular) { return kind == Kind.DECIMAL || kind == Kind.COUNTER || kind == Kind.HUGE; }
}
