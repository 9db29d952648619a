package org.vfzone.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class RatesTest {

    static final Instant T0 = Instant.parse("2026-11-25T06:00:00Z");
    static final Duration GAP = Duration.ofMinutes(10);

    static Snapshot snap(Instant ts, long reads, long writes, long rxWords, long txWords, long errors, long sinceReset) {
        return Snapshot.of(1, ts, "Online", reads, writes, null, null, 1000L, 2000L, txWords, rxWords, errors, 0L, 0L,
                0L, 0L, null, sinceReset);
    }

    @Test
    void ratesArePerSecondAndThroughputComesFromWords() {
        Rates r = Rates.between(snap(T0, 1000, 500, 0, 0, 0, 100),
                snap(T0.plusSeconds(10), 3000, 1500, 2_500_000, 1_250_000, 3, 110), GAP);
        assertThat(r.intervalS()).isEqualTo(10f);
        assertThat(r.readIops()).isEqualTo(200f);
        assertThat(r.writeIops()).isEqualTo(100f);
        assertThat(r.readMbps()).isCloseTo(1.0f, within(1e-6f));   // 2.5M words × 4 B / 10 s
        assertThat(r.writeMbps()).isCloseTo(0.5f, within(1e-6f));
        assertThat(r.errors()).isEqualTo(3);
        assertThat(r.counterReset()).isFalse();
    }

    @Test
    void anIncreasePast2To63IsReadAsTheUnsignedValueItIs() {
        long huge = 0xF000_0000_0000_0001L;   // 17,293,822,569,102,704,641 as an unsigned counter
        Rates r = Rates.between(snap(T0, 0, 0, 0, 0, 0, 100), snap(T0.plusSeconds(10), huge, 0, 0, 0, 0, 110), GAP);
        assertThat(r.counterReset()).isFalse();
        assertThat(r.readIops()).isCloseTo(1.7293822569102704641e18f, within(1e12f));
    }

    @Test
    void aCounterThatGoesDownIsAResetNeverANegativeRate() {
        Rates r = Rates.between(snap(T0, 900_000, 500, 0, 0, 5, 86_400), snap(T0.plusSeconds(10), 400, 100, 40, 20, 1, 5),
                GAP);
        assertThat(r.counterReset()).isTrue();
        assertThat(r.readIops()).isEqualTo(40f);
        assertThat(r.writeIops()).isEqualTo(10f);
        assertThat(r.errors()).isEqualTo(1);
    }

    @Test
    void secondsSinceLastResetGoingDownIsAResetEvenWhenCountersLookFine() {
        Rates r = Rates.between(snap(T0, 100, 100, 0, 0, 0, 500), snap(T0.plusSeconds(10), 300, 300, 0, 0, 0, 8), GAP);
        assertThat(r.counterReset()).isTrue();
        assertThat(r.readIops()).isEqualTo(30f);
    }

    @Test
    void aGapLongerThanTheThresholdGivesNoRatesAndAFirstSampleNone() {
        assertThat(Rates.between(snap(T0, 1, 1, 0, 0, 0, 1), snap(T0.plus(Duration.ofMinutes(11)), 2, 2, 0, 0, 0, 2),
                GAP)).isNull();
        assertThat(Rates.between(null, snap(T0, 1, 1, 0, 0, 0, 1), GAP)).isNull();
    }

    @Test
    void countersNearTheTopOfTheUnsignedRangeStayPositive() {
        long high = -10L; // 2^64 - 10 as unsigned
        Rates r = Rates.between(snap(T0, high, 0, 0, 0, 0, 1), snap(T0.plusSeconds(1), high + 5, 0, 0, 0, 0, 2), GAP);
        assertThat(r.readIops()).isEqualTo(5f);
        assertThat(r.counterReset()).isFalse();
    }
}
