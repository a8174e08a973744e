package dev.strata.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RestartBackoffTest {

    @Test
    void theDevBackoffDoublesFromTwoSecondsUpTo32() {
        assertEquals(List.of(2L, 4L, 8L, 16L, 32L, 32L, 32L),
                IntStream.rangeClosed(1, 7).mapToObj(n -> RestartBackoff.DEV.delay(n).toSeconds()).toList());
        assertEquals(Duration.ofSeconds(32), RestartBackoff.DEV.delay(10_000), "no overflow in a long crash loop");
    }

    @Test
    void aCapBetweenTwoDoublingsIsReachedExactly() {
        RestartBackoff b = new RestartBackoff(Duration.ofMillis(300), Duration.ofSeconds(1), Duration.ofSeconds(5));
        assertEquals(List.of(300L, 600L, 1000L, 1000L),
                IntStream.rangeClosed(1, 4).mapToObj(n -> b.delay(n).toMillis()).toList());
    }

    @Test
    void nonsenseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> RestartBackoff.DEV.delay(0));
        assertThrows(IllegalArgumentException.class,
                () -> new RestartBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ZERO));
    }
}
