package org.vfzone.traffic;

import java.time.Instant;

/**
 * One counter snapshot of one initiator (a VF's NPIV WWPN), as read from {@code /sys/class/fc_host/hostN}. A null
 * counter is one the HBA does not report (missing file, or the all-ones "unsupported" value).
 */
public record Snapshot(long initiator, Instant ts, Long fcpInputRequests, Long fcpOutputRequests,
                       Long fcpInputMegabytes, Long fcpOutputMegabytes, Long txFrames, Long rxFrames, Long txWords,
                       Long rxWords, Long errorFrames, Long linkFailureCount, Long lossOfSyncCount,
                       Long lossOfSignalCount, Long invalidCrcCount, Long dumpedFrames, Long secondsSinceLastReset,
                       String portState) {

    /** The error counters whose increments are summed into one "errors" figure. */
    Long[] errorCounters() {
        return new Long[] {errorFrames, linkFailureCount, lossOfSyncCount, lossOfSignalCount, invalidCrcCount,
                dumpedFrames};
    }
}
