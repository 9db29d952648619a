package org.vfzone.traffic;

import java.time.Duration;

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
        Float readMbps = current.rxWords() != null && previous.rxWords() != null
                ? rate(previous.rxWords(), current.rxWords(), reset, seconds, 4.0 / 1_000_000)
                : rate(previous.fcpInputMegabytes(), current.fcpInputMegabytes(), reset, seconds, 1.0);
        Float writeMbps = current.txWords() != null && previous.txWords() != null
                ? rate(previous.txWords(), current.txWords(), reset, seconds, 4.0 / 1_000_000)
                : rate(previous.fcpOutputMegabytes(), current.fcpOutputMegabytes(), reset, seconds, 1.0);
        Integer errors = null;
        Long[] before = previous.errorCounters();
        Long[] after = current.errorCounters();
        for (int i = 0; i < after.length; i++) {
            Long delta = delta(before[i], after[i], reset);
            if (delta != null) {
                errors = (errors == null ? 0 : errors) + (int) Math.min(Integer.MAX_VALUE, delta);
            }
        }
        return new Rates((float) seconds,
                rate(previous.fcpInputRequests(), current.fcpInputRequests(), reset, seconds, 1.0),
                rate(previous.fcpOutputRequests(), current.fcpOutputRequests(), reset, seconds, 1.0),
                readMbps, writeMbps,
                rate(previous.rxFrames(), current.rxFrames(), reset, seconds, 1.0),
                rate(previous.txFrames(), current.txFrames(), reset, seconds, 1.0),
                errors, reset);
    }

    static boolean isReset(Snapshot previous, Snapshot current) {
        if (previous.secondsSinceLastReset() != null && current.secondsSinceLastReset() != null
                && Long.compareUnsigned(current.secondsSinceLastReset(), previous.secondsSinceLastReset()) < 0) {
            return true;
        }
        return wentDown(previous.fcpInputRequests(), current.fcpInputRequests())
                || wentDown(previous.fcpOutputRequests(), current.fcpOutputRequests())
                || wentDown(previous.fcpInputMegabytes(), current.fcpInputMegabytes())
                || wentDown(previous.fcpOutputMegabytes(), current.fcpOutputMegabytes())
                || wentDown(previous.txFrames(), current.txFrames())
                || wentDown(previous.rxFrames(), current.rxFrames())
                || wentDown(previous.txWords(), current.txWords())
                || wentDown(previous.rxWords(), current.rxWords())
                || wentDown(previous.errorFrames(), current.errorFrames())
                || wentDown(previous.linkFailureCount(), current.linkFailureCount())
                || wentDown(previous.lossOfSyncCount(), current.lossOfSyncCount())
                || wentDown(previous.lossOfSignalCount(), current.lossOfSignalCount())
                || wentDown(previous.invalidCrcCount(), current.invalidCrcCount())
                || wentDown(previous.dumpedFrames(), current.dumpedFrames());
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
