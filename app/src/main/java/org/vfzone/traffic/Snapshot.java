package org.vfzone.traffic;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

import org.vfzone.collector.FcCounter;
import org.vfzone.wwn.Wwn;

/**
 * One counter snapshot of one initiator (a VF's NPIV WWPN), as read from {@code /sys/class/fc_host/hostN}. The
 * counters are indexed by {@link FcCounter}; a null counter is one the HBA does not report (missing file, or the
 * all-ones "unsupported" value).
 */
public record Snapshot(long initiator, Instant ts, Long[] counters, String portState) {

    public Snapshot {
        if (counters.length != FcCounter.ALL.size()) {
            throw new IllegalArgumentException("a snapshot has " + FcCounter.ALL.size() + " counters");
        }
    }

    /** A snapshot from its counters in {@link FcCounter} order. */
    public static Snapshot of(long initiator, Instant ts, String portState, Long... counters) {
        return new Snapshot(initiator, ts, counters.clone(), portState);
    }

    public Long counter(FcCounter counter) {
        return counters[counter.ordinal()];
    }

    public Long secondsSinceLastReset() {
        return counter(FcCounter.SECONDS_SINCE_LAST_RESET);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Snapshot that && initiator == that.initiator && ts.equals(that.ts)
                && Arrays.equals(counters, that.counters) && Objects.equals(portState, that.portState);
    }

    @Override
    public int hashCode() {
        return Objects.hash(initiator, ts, Arrays.hashCode(counters), portState);
    }

    @Override
    public String toString() {
        return "Snapshot[" + new Wwn(initiator) + " at " + ts + ", " + Arrays.toString(counters)
                + ", " + portState + "]";
    }
}
