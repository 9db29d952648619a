package org.vfzone.fabric;

import java.util.List;

/**
 * What a switch reports of its initiator–target flows: the IO counters of each flow as the switch keeps them (totals
 * since the flow was learned; the caller derives rates from two readings), or why the fabric has none.
 *
 * @param available         whether the switch has flow statistics to read (Cisco MDS SAN Analytics enabled)
 * @param unavailableReason when not available: why, in the switch's words where it gave them
 * @param flows             one entry per initiator–target pair, both resolved to their WWPNs
 * @param unresolved        flows dropped because an FCID was not in the name server at the time of the reading (a
 *                          device that logged out between the two)
 */
public record FlowReading(boolean available, String unavailableReason, List<FlowCounters> flows, int unresolved) {

    public FlowReading {
        flows = List.copyOf(flows);
    }

    public static FlowReading unavailable(String reason) {
        return new FlowReading(false, reason, List.of(), 0);
    }

    /**
     * The counters of one flow.
     *
     * @param initiatorWwpn canonical lower-case WWPN of the initiator
     * @param targetWwpn    canonical lower-case WWPN of the target
     * @param vsan          the VSAN the flow was seen in
     * @param port          the switch port the counters were taken at
     * @param readIos       read commands completed, total
     * @param writeIos      write commands completed, total
     * @param readBytes     bytes read, total
     * @param writeBytes    bytes written, total
     */
    public record FlowCounters(String initiatorWwpn, String targetWwpn, int vsan, String port, long readIos,
                               long writeIos, long readBytes, long writeBytes) {
    }
}
