package org.vfzone.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.sun.management.OperatingSystemMXBean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.vfzone.IntegrationTest;
import org.vfzone.vcenter.VcenterConnections;
import org.vfzone.vcenter.VcenterForm;
import org.vfzone.vcenter.VcenterPoller;
import org.vfzone.vsphere.emulator.VcenterEmulator;
import org.vfzone.wwn.Wwn;

/**
 * One vCenter poll of the bench estate's 10,000 VMs from an emulated vCenter over SOAP: service content, session,
 * counters by name, the inventory page by page with the VMs' NPIV WWNs, matching (9,000 by WWPN, 1,000 by UUID),
 * {@code QueryPerf} in batches, and the samples stored (six per VM the first time). Three measured polls after a
 * first one. Not part of the test suite: {@code mvn -Pbench verify -pl app -am -Dtest=VcenterBenchmark}. Writes
 * {@code app/target/benchmark-vcenter.md}.
 */
@Tag("benchmark")
class VcenterBenchmark extends IntegrationTest {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TransactionTemplate transaction;
    @Autowired
    VcenterConnections connections;
    @Autowired
    VcenterPoller poller;

    @Test
    void pollTenThousandVms() throws Exception {
        BenchEstate.seedOnce(jdbc, transaction);
        List<Object[]> vms = jdbc.query("""
                select v.uuid::text, (select i.active_wwpn from vm_fabric_identity i where i.vm_id = v.id
                                       order by i.fabric_id limit 1)
                  from vm v where v.name like 'bench-vm-%' order by v.id
                """, (rs, n) -> new Object[] {rs.getString(1), rs.getString(2)});
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        StringBuilder report = new StringBuilder("| Poll | VMs | matched | samples stored | wall ms | process CPU ms |\n"
                + "|---|---|---|---|---|---|\n");
        try (VcenterEmulator vcenter = new VcenterEmulator("svc", "bench-password")) {
            for (int i = 0; i < vms.size(); i++) {
                String wwpn = (String) vms.get(i)[1];
                // vSphere keeps the NPIV WWPNs as 64-bit values; the VMs without one are known by their BIOS UUID
                String moref = vcenter.addVm("vm-in-vcenter-" + i, (String) vms.get(i)[0],
                        wwpn == null ? List.of() : List.of(Wwn.parse(wwpn).value()));
                vcenter.diskIo(moref, "scsi0:0", 1000 + i % 500, 300, 60, 20);
            }
            long id = connections.create(new VcenterForm(IntegrationTest.unique("bench-vc"),
                    vcenter.baseUrl().toString(), "svc", "bench-password", "")).id();
            for (int round = 0; round < 4; round++) {
                long cpu = os.getProcessCpuTime();
                long start = System.nanoTime();
                VcenterPoller.Result result = poller.poll(id);
                long wallMs = (System.nanoTime() - start) / 1_000_000;
                long cpuMs = (os.getProcessCpuTime() - cpu) / 1_000_000;
                if (!"OK".equals(result.status())) {
                    throw new AssertionError("poll failed: " + result);
                }
                report.append(String.format("| %s | %d | %d | %d | %d | %d |%n", round == 0 ? "first" : "run " + round,
                        result.vms(), result.matched(), result.samples(), wallMs, cpuMs));
            }
        }
        report.append("\nProcess CPU includes the emulated vCenter, which runs in the same JVM.\n");
        System.out.println(report);
        Files.writeString(Path.of("target", "benchmark-vcenter.md"), report.toString());
    }
}
