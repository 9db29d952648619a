package org.vfzone.traffic;

import static org.vfzone.collector.FcCounter.FCP_INPUT_MEGABYTES;
import static org.vfzone.collector.FcCounter.FCP_INPUT_REQUESTS;
import static org.vfzone.collector.FcCounter.FCP_OUTPUT_MEGABYTES;
import static org.vfzone.collector.FcCounter.FCP_OUTPUT_REQUESTS;
import static org.vfzone.collector.FcCounter.RX_FRAMES;
import static org.vfzone.collector.FcCounter.RX_WORDS;
import static org.vfzone.collector.FcCounter.TX_FRAMES;
import static org.vfzone.collector.FcCounter.TX_WORDS;

import java.time.Duration;

import org.vfzone.collector.FcCounter;

/**
 * Per-second rates between two consecutive snapshots of one initiator.
 *
 * <ul>
 * <li>A counter that went down, or {@code seconds_since_last_reset} that went down, is a reset: the new value is the
 * increase since the reset (Prometheus semantics), never a negative rate.</li>
 * <li>Snapshots further apart than the gap threshold give no rates: the chart shows a gap, not a long average.</li>
 * <li>Read throughput prefers {@code rx_words} × 4 bytes; {@code fcp_input_megabytes} is driver-dependent (MiB on
 * qla2xxx, 10^6 on zfcp) and only a fallback.</li>
 * </ul>
 */
public record Rates(float intervalS, Float readIops, Float writeIops, Float readMbps, Float writeMbps, Float rxFps,
                    Float txFps, Integer errors, boolean counterReset) {

    public static Rates between(Snapshot previous, Snapshot current, Duration gap) {
        if (previous == null) {
            return null;
        }
        double seconds = Duration.between(previous.ts(), current.ts()).toMillis() / 1000.0;
        if (seconds <= 0 || seconds > gap.toSeconds()) {
            return null;
        }
        boolean reset = isReset(previous, current);
        Float readMbps = current.counter(RX_WORDS) != null && previous.counter(RX_WORDS) != null
                ? rate(previous, current, RX_WORDS, reset, seconds, 4.0 / 1_000_000)
                : rate(previous, current, FCP_INPUT_MEGABYTES, reset, seconds, 1.0);
        Float writeMbps = current.counter(TX_WORDS) != null && previous.counter(TX_WORDS) != null
                ? rate(previous, current, TX_WORDS, reset, seconds, 4.0 / 1_000_000)
                : rate(previous, current, FCP_OUTPUT_MEGABYTES, reset, seconds, 1.0);
        Integer errors = null;
        for (FcCounter counter : FcCounter.ALL) {
            Long delta = counter.isError() ? delta(previous.counter(counter), current.counter(counter), reset) : null;
            if (delta != null) {
                errors = (errors == null ? 0 : errors) + (int) Math.min(Integer.MAX_VALUE, delta);
            }
        }
        return new Rates((float) seconds,
                rate(previous, current, FCP_INPUT_REQUESTS, reset, seconds, 1.0),
                rate(previous, current, FCP_OUTPUT_REQUESTS, reset, seconds, 1.0),
                readMbps, writeMbps,
                rate(previous, current, RX_FRAMES, reset, seconds, 1.0),
                rate(previous, current, TX_FRAMES, reset, seconds, 1.0),
                errors, reset);
    }

    static boolean isReset(Snapshot previous, Snapshot current) {
        if (previous.secondsSinceLastReset() != null && current.secondsSinceLastReset() != null
                && Long.compareUnsigned(current.secondsSinceLastReset(), previous.secondsSinceLastReset()) < 0) {
            return true;
        }
        for (FcCounter counter : FcCounter.ALL) {
            if (counter != FcCounter.SECONDS_SINCE_LAST_RESET
                    && wentDown(previous.counter(counter), current.counter(counter))) {
                return true;
            }
        }
        return false;
    }

    private static boolean wentDown(Long before, Long after) {
        return before != null && after != null && Long.compareUnsigned(after, before) < 0;
    }

    /** The increase of a counter; after a reset the new value itself (it counted up from zero). */
    static Long delta(Long before, Long after, boolean reset) {
        if (before == null || after == null) {
            return null;
        }
        if (reset || Long.compareUnsigned(after, before) < 0) {
            return after;
        }
        return after - before;
    }

    private static Float rate(Snapshot previous, Snapshot current, FcCounter counter, boolean reset, double seconds,
                              double scale) {
        return rate(previous.counter(counter), current.counter(counter), reset, seconds, scale);
    }

    private static Float rate(Long before, Long after, boolean reset, double seconds, double scale) {
        Long delta = delta(before, after, reset);
        if (delta == null) {
            return null;
        }
        // a delta past 2^63 is negative as a signed long: convert it as the unsigned value it is
        double increase = delta >= 0 ? delta : (delta >>> 1) * 2.0 + (delta & 1);
        return (float) (increase * scale / seconds);
    }
}
