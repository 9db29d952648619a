package org.vfzone.fabric.emulator;

/**
 * One emulated switch port's counters, cumulative as a switch keeps them. Tests and the demo raise them to play a
 * scenario (a slow-drain device, an oversubscribed target port, a link with CRC errors), clear them as the switch's
 * own command would, or take the port offline.
 */
public final class PortStats {

    public long creditZero;
    /** Time with frames to send and no credit, in 2.5 µs ticks (MDS TxWait). */
    public long txWaitTicks;
    public long discards;
    public long timeouts;
    public long creditLoss;
    public long crcErrors;
    public long linkFailures;
    public long txBytes;
    public long rxBytes;
    public boolean online = true;

    /**
     * A slow-drain device behind this port over {@code seconds}: the switch waits for credit {@code waitShare} of the
     * time (0..1), credit reaches zero often, and frames that waited too long are discarded.
     */
    public synchronized PortStats slowDrain(double seconds, double waitShare, long discardedFrames) {
        txWaitTicks += Math.round(seconds * waitShare / 2.5e-6);
        creditZero += Math.round(seconds * waitShare * 1000);
        discards += discardedFrames;
        timeouts += discardedFrames;
        return this;
    }

    public synchronized PortStats traffic(long bytesToDevice, long bytesFromDevice) {
        txBytes += bytesToDevice;
        rxBytes += bytesFromDevice;
        return this;
    }

    public synchronized PortStats crc(long errors) {
        crcErrors += errors;
        return this;
    }

    /** The counters cleared, as {@code portstatsclear} or {@code clear counters interface} does. */
    public synchronized PortStats clear() {
        creditZero = 0;
        txWaitTicks = 0;
        discards = 0;
        timeouts = 0;
        creditLoss = 0;
        crcErrors = 0;
        linkFailures = 0;
        txBytes = 0;
        rxBytes = 0;
        return this;
    }

    public synchronized PortStats online(boolean up) {
        online = up;
        return this;
    }
}
