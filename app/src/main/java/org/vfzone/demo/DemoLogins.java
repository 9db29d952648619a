package org.vfzone.demo;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.vfzone.inventory.InventoryDirectory;
import org.springframework.stereotype.Component;
import org.vfzone.fabric.brocade.BrocadeFosEmulator;
import org.vfzone.fabric.cisco.CiscoMdsEmulator;
import org.vfzone.logins.LoginDiscovery;

/**
 * Demo mode: the emulated switches' name servers list the demo VMs (most with their active WWPN; one moved, so
 * its standby WWPN is logged in; one not logged in at all), the array ports, and two devices vfzone does not know.
 */
@Component
@Profile("demo")
@Order(3)
class DemoLogins implements ApplicationRunner {

    private final InventoryDirectory inventory;
    private final BrocadeFosEmulator brocade;
    private final CiscoMdsEmulator mds;
    private final LoginDiscovery discovery;

    DemoLogins(InventoryDirectory inventory, BrocadeFosEmulator brocade, CiscoMdsEmulator mds, LoginDiscovery discovery) {
        this.inventory = inventory;
        this.brocade = brocade;
        this.mds = mds;
        this.discovery = discovery;
    }

    @Override
    public void run(ApplicationArguments args) {
        int[] port = {1};
        for (var pair : inventory.allInitiators()) {
            String wwpn = loggedInWwpn(pair);
            if (wwpn == null) {
                continue;
            }
            login(pair.fabricName(), wwpn, pair.vmWwnn(), port[0]++, pair.vmName() + " Emulex LPe35002 NPIV",
                    "FCP-Initiator");
        }
        for (var arrayPort : inventory.allArrayPorts()) {
            login(arrayPort.fabricName(), arrayPort.wwpn(), null, port[0]++,
                    arrayPort.arrayName() + " " + arrayPort.portName(), "FCP-Target");
        }
        login("FAB-A", "10:00:00:10:9b:77:10:01", null, 90, "backup-media-srv", "FCP-Initiator");
        login("FAB-A", "21:00:00:24:ff:5e:61:0a", null, 91, "unknown QLogic host", "FCP-Initiator");
        login("FAB-B", "10:00:00:10:9b:77:10:02", null, 92, "backup-media-srv", "FCP-Initiator");
        inventory.fabricNames().keySet().stream().sorted().forEach(discovery::discover);
    }

    /**
     * The WWPN of the pair the demo logs in: the active one, the standby one for app-04 (it moved), none for erp-02
     * (not logged in: the dashboard lists it once it has zones).
     */
    static String loggedInWwpn(InventoryDirectory.InitiatorPair pair) {
        if (pair.vmName().startsWith("erp-02")) {
            return null;
        }
        return pair.vmName().startsWith("app-04") ? pair.standbyWwpn() : pair.activeWwpn();
    }

    /** The FCID the demo gives the n-th device it logs in on the fabric. */
    static String fcid(String fabric, int port) {
        return String.format("0x%02x%04x", "FAB-A".equals(fabric) ? 1 : 10, port);
    }

    private void login(String fabric, String wwpn, String nodeName, int port, String symbolic, String fc4) {
        String fcid = fcid(fabric, port);
        if ("FAB-A".equals(fabric)) {
            brocade.login(DemoSwitches.FABRIC_A_VF_ID, wwpn, nodeName, fcid, port, symbolic, fc4);
        } else if ("FAB-B".equals(fabric)) {
            mds.login(DemoSwitches.FABRIC_B_VSAN, wwpn, nodeName, fcid, "fc1/" + port, symbolic,
                    fc4.equals("FCP-Target") ? "scsi-fcp:target" : "scsi-fcp:init");
        }
    }
}
