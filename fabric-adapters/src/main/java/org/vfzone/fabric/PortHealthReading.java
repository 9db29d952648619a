package org.vfzone.fabric;

import java.util.List;

/**
 * A fabric's switch ports as one read sees them: each port's congestion and error counters as the switch reports them
 * (cumulative since the switch last cleared them), and which device logged in through which port (the name server).
 * A counter the switch does not keep is null, never 0.
 *
 * @param ports             the switch's Fibre Channel ports
 * @param logins            devices logged in through those ports (F_Port or NPIV logins)
 * @param devices           what the switch itself says of a device's congestion, where it does (FOS 9.0 and later)
 * @param unavailableReason why this protocol cannot say, or null when it did
 */
public record PortHealthReading(List<PortCounters> ports, List<PortLogin> logins, List<DeviceState> devices,
                                String unavailableReason) {

    public PortHealthReading {
        ports = List.copyOf(ports);
        logins = List.copyOf(logins);
        devices = List.copyOf(devices);
    }

    public PortHealthReading(List<PortCounters> ports, List<PortLogin> logins) {
        this(ports, logins, List.of(), null);
    }

    public PortHealthReading(List<PortCounters> ports, List<PortLogin> logins, List<DeviceState> devices) {
        this(ports, logins, devices, null);
    }

    public static PortHealthReading unavailable(String reason) {
        return new PortHealthReading(List.of(), List.of(), List.of(), reason);
    }

    public boolean available() {
        return unavailableReason == null;
    }

    /** Counters that add up to one (link errors of several kinds); null when the switch reports none of them. */
    public static Long total(Long... counters) {
        Long total = null;
        for (Long counter : counters) {
            if (counter != null) {
                total = (total == null ? 0 : total) + counter;
            }
        }
        return total;
    }

    /**
     * One port's counters.
     *
     * @param port        the port's name on the switch: "0/12" (Brocade slot/port), "fc1/5" (MDS)
     * @param online      whether the port is up
     * @param creditZero  how often transmit credit reached zero (Brocade {@code bb-credit-zero}, MDS
     *                    {@code tx_b2b_credit_to_zero})
     * @param txWaitTicks time with frames to send and no credit, in 2.5 µs ticks (MDS {@code txwait}); null on Brocade
     * @param discards    frames discarded on transmit for timing out (Brocade {@code class3-out-discards}, MDS
     *                    {@code tx_timeout_discards})
     * @param timeouts    frames timed out (Brocade {@code frames-timed-out}); null on MDS
     * @param creditLoss  credit-loss recoveries (MDS {@code tx_credit_loss}); null on Brocade
     * @param linkErrors  link errors together: CRC errors, link failures, loss of sync and of signal, invalid
     *                    transmission words
     * @param txBytes     bytes sent out of the port (toward the device)
     * @param rxBytes     bytes received from the device
     */
    public record PortCounters(String port, boolean online, Long creditZero, Long txWaitTicks, Long discards,
                               Long timeouts, Long creditLoss, Long linkErrors, Long txBytes, Long rxBytes) {
    }

    /**
     * A device logged in through a port.
     *
     * @param port  the port's name as in {@link PortCounters#port()}
     * @param wwpn  the device's port WWN, lower case with colons
     * @param fcid  its Fibre Channel address, as the switch writes it
     */
    public record PortLogin(String port, String wwpn, String fcid) {
    }

    /**
     * The switch's own view of one device (N_Port), where it keeps one: Brocade FOS 9.0 and later
     * ({@code brocade-fabric-traffic-controller/fabric-traffic-controller-device}) and the name server's slow-drain
     * device quarantine flag.
     *
     * @param wwpn              the device's port WWN
     * @param congestionStates  "credit-stalled", "lost-credit", "oversubscribed"; empty when none
     * @param quarantined       whether the switch has quarantined it as a slow-drain device (SDDQ)
     * @param fpinCongestionSent      congestion FPINs the switch sent it; null where not reported
     * @param fpinPeerCongestionSent  peer-congestion FPINs the switch sent it
     * @param fpinLinkIntegritySent   link-integrity FPINs the switch sent it
     * @param fpinDeliverySent        delivery FPINs the switch sent it
     */
    public record DeviceState(String wwpn, List<String> congestionStates, boolean quarantined,
                              Long fpinCongestionSent, Long fpinPeerCongestionSent, Long fpinLinkIntegritySent,
                              Long fpinDeliverySent) {

        public DeviceState {
            congestionStates = List.copyOf(congestionStates);
        }
    }
}
