package org.vfzone.demo;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.vfzone.fabric.brocade.BrocadeFosEmulator;
import org.vfzone.fabric.cisco.CiscoMdsEmulator;
import org.vfzone.zoning.LoginDiscovery;

/**
 * Demo mode: the emulated switches' name servers list the demo VMs (most with their active WWPN; one moved, so
 * its standby WWPN is logged in; one not logged in at all), the array ports, and two devices vfzone does not know.
 */
@Component
@Profile("demo")
@Order(3)
class DemoLogins implements ApplicationRunner {

    private final JdbcTemplate jdbc;
    private final BrocadeFosEmulator brocade;
    private final CiscoMdsEmulator mds;
    private final LoginDiscovery discovery;

    DemoLogins(JdbcTemplate jdbc, BrocadeFosEmulator brocade, CiscoMdsEmulator mds, LoginDiscovery discovery) {
        this.jdbc = jdbc;
        this.brocade = brocade;
        this.mds = mds;
        this.discovery = discovery;
    }

    @Override
    public void run(ApplicationArguments args) {
        int[] port = {1};
        jdbc.query("""
                select f.name, v.name, i.active_wwpn, i.standby_wwpn, v.wwnn from vm_fabric_identity i
                  join vm v on v.id = i.vm_id join fabric f on f.id = i.fabric_id order by v.name, f.name
                """, rs -> {
                    String fabric = rs.getString(1);
                    String vm = rs.getString(2);
                    if (vm.startsWith("erp-02")) {
                        return; // not logged in: the dashboard lists it once it has zones
                    }
                    String wwpn = vm.startsWith("app-04") ? rs.getString(4) : rs.getString(3); // app-04 has moved
                    login(fabric, wwpn, rs.getString(5), port[0]++, vm + " Emulex LPe35002 NPIV", "FCP-Initiator");
                });
        jdbc.query("""
                select f.name, t.wwpn, s.name || ' ' || t.name from target_port t join fabric f on f.id = t.fabric_id
                  join storage_array s on s.id = t.array_id
                """, rs -> {
                    login(rs.getString(1), rs.getString(2), null, port[0]++, rs.getString(3), "FCP-Target");
                });
        login("FAB-A", "10:00:00:10:9b:77:10:01", null, 90, "backup-media-srv", "FCP-Initiator");
        login("FAB-A", "21:00:00:24:ff:5e:61:0a", null, 91, "unknown QLogic host", "FCP-Initiator");
        login("FAB-B", "10:00:00:10:9b:77:10:02", null, 92, "backup-media-srv", "FCP-Initiator");
        jdbc.queryForList("select id from fabric order by id", Long.class).forEach(discovery::discover);
    }

    private void login(String fabric, String wwpn, String nodeName, int port, String symbolic, String fc4) {
        String fcid = String.format("0x%02x%04x", "FAB-A".equals(fabric) ? 1 : 10, port);
        if ("FAB-A".equals(fabric)) {
            brocade.login(DemoSwitches.FABRIC_A_VF_ID, wwpn, nodeName, fcid, port, symbolic, fc4);
        } else if ("FAB-B".equals(fabric)) {
            mds.login(DemoSwitches.FABRIC_B_VSAN, wwpn, nodeName, fcid, "fc1/" + port, symbolic,
                    fc4.equals("FCP-Target") ? "scsi-fcp:target" : "scsi-fcp:init");
        }
    }
}
