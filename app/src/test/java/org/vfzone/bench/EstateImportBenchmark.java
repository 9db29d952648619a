package org.vfzone.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.vfzone.IntegrationTest;
import org.vfzone.estate.EstateImport.File;
import org.vfzone.estate.EstateImport;
import org.vfzone.estate.RowAction;
import org.vfzone.inventory.FabricForm;
import org.vfzone.inventory.FabricService;

/**
 * Dry run, apply and re-import of an estate of 250 hosts, 500 adapters and 10,000 VMs with WWNNs, WWPN pairs on two
 * fabrics and one VF each (42,750 rows). Not part of the suite: {@code mvn -Pbench verify -pl app -am} (JVM at
 * {@code -Xmx512m}). Writes {@code app/target/benchmark-import.md}.
 */
@Tag("benchmark")
class EstateImportBenchmark extends IntegrationTest {

    static final int HOSTS = Integer.getInteger("bench.import.hosts", 250);

    @Autowired
    EstateImport estateImport;
    @Autowired
    FabricService fabrics;

    @Test
    void tenThousandVms() throws Exception {
        String fa = unique("IMPA");
        String fb = unique("IMPB");
        fabrics.create(new FabricForm(fa, "A", "simulated", null, "", "", ""));
        fabrics.create(new FabricForm(fb, "B", "simulated", null, "", "", ""));
        StringBuilder hosts = new StringBuilder("Host,Cluster,Hypervisor\n");
        StringBuilder adapters = new StringBuilder("Host,PCI Address,Kind,Vendor,Model,WWNN,WWPN,Fabric,Max VFs,"
                + "Max NPIV Vports,Enabled VFs\n");
        StringBuilder vms = new StringBuilder("VM,UUID,Host,Cluster,WWNN\n");
        StringBuilder wwpns = new StringBuilder("VM,Fabric,Active WWPN,Standby WWPN\n");
        StringBuilder vfs = new StringBuilder("Host,PCI Address,VF Index,VM\n");
        for (int h = 0; h < HOSTS; h++) {
            String host = "imp-esx" + h;
            hosts.append(host).append(",imp-cl").append(h % 10).append(",ESXi\n");
            adapters.append(host).append(",0000:3b:00.0,HBA,Emulex,LPe35002,").append(wwn(0x21, h, 0)).append(',')
                    .append(wwn(0x11, h, 0)).append(',').append(fa).append(",64,255,40\n");
            adapters.append(host).append(",0000:5e:00.0,HBA,Emulex,LPe35002,").append(wwn(0x21, h, 1)).append(',')
                    .append(wwn(0x11, h, 1)).append(',').append(fb).append(",64,255,40\n");
            for (int v = 0; v < 40; v++) {
                int n = h * 40 + v;
                String vm = "imp-vm" + n;
                vms.append(vm).append(",,").append(host).append(",,").append(wwn(0x2a, n, 0)).append('\n');
                wwpns.append(vm).append(',').append(fa).append(',').append(wwn(0x2b, n, 0)).append(',')
                        .append(wwn(0x2b, n, 1)).append('\n');
                wwpns.append(vm).append(',').append(fb).append(',').append(wwn(0x2b, n, 2)).append(',')
                        .append(wwn(0x2b, n, 3)).append('\n');
                vfs.append(host).append(",0000:3b:00.0,").append(v).append(',').append(vm).append('\n');
            }
        }
        Map<File, String> files = new LinkedHashMap<>();
        files.put(File.HOSTS, hosts.toString());
        files.put(File.ADAPTERS, adapters.toString());
        files.put(File.VMS, vms.toString());
        files.put(File.VM_WWPNS, wwpns.toString());
        files.put(File.VFS, vfs.toString());

        HeapSampler sampler = new HeapSampler(20);
        long t0 = System.nanoTime();
        EstateImport.Report dry = estateImport.run(files, true);
        long t1 = System.nanoTime();
        EstateImport.Report applied = estateImport.run(files, false);
        long t2 = System.nanoTime();
        EstateImport.Report again = estateImport.run(files, false);
        long t3 = System.nanoTime();
        sampler.close();
        if (!dry.problems().isEmpty() || !applied.applied() || again.count(RowAction.UNCHANGED) != applied.changes().size()) {
            throw new IllegalStateException("import did not behave: " + dry.problems().stream().limit(3).toList());
        }
        String report = String.format("""
                | Import of %d hosts, %d adapters, %,d VMs (WWNN, 2 WWPN pairs, 1 VF each): %,d rows | seconds |
                |---|---|
                | dry run | %.1f |
                | apply (one transaction) | %.1f |
                | re-import (everything unchanged) | %.1f |
                | peak heap during the three runs (JVM -Xmx512m) | %d MB |
                """, HOSTS, HOSTS * 2, HOSTS * 40, applied.changes().size(), (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9,
                sampler.peakMegabytes());
        System.out.println(report);
        Files.writeString(Path.of("target", "benchmark-import.md"), report);
    }

    private static String wwn(int kind, int n, int sub) {
        return String.format("%02x:00:00:0c:29:%02x:%02x:%02x", kind, (n >> 8) & 0xff, n & 0xff, sub);
    }
}
