package org.vfzone.fabric;

/**
 * One device logged in to the fabric, as the name server lists it.
 *
 * @param wwpn             port name (canonical lower-case WWN)
 * @param nodeName         node name, when reported
 * @param fcid             FC address, e.g. {@code 0x010200}
 * @param switchPort       where it is attached, when the switch says (Brocade port index, MDS interface)
 * @param portSymbolicName what the HBA driver registered (often host and driver version)
 * @param fc4              FC-4 types and features, e.g. {@code FCP-Initiator}, {@code scsi-fcp:init}
 */
public record Login(String wwpn, String nodeName, String fcid, String switchPort, String portSymbolicName,
                    String fc4) {
}
