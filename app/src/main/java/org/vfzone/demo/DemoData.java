package org.vfzone.demo;

import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.vfzone.fabric.FabricVendor;
import org.vfzone.fabric.brocade.BrocadeFosEmulator;
import org.vfzone.fabric.cisco.CiscoMdsEmulator;
import org.vfzone.inventory.Adapter;
import org.vfzone.inventory.AdapterForm;
import org.vfzone.inventory.AdapterKind;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.FabricForm;
import org.vfzone.inventory.FabricService;
import org.vfzone.inventory.Host;
import org.vfzone.inventory.HostForm;
import org.vfzone.inventory.HostService;
import org.vfzone.inventory.Hypervisor;
import org.vfzone.inventory.StorageArray;
import org.vfzone.inventory.StorageArrayForm;
import org.vfzone.inventory.StorageArrayService;
import org.vfzone.inventory.TargetPortForm;
import org.vfzone.inventory.Vm;
import org.vfzone.inventory.VmForm;
import org.vfzone.inventory.VmService;
import org.vfzone.inventory.ZoningPolicy;
import org.vfzone.wwn.WwnPool;
import org.vfzone.wwn.WwnPoolForm;
import org.vfzone.wwn.WwnPoolService;
import org.vfzone.zoning.StorageAccessService;

/**
 * Demo mode: a small but realistic estate — two fabrics, four ESXi hosts with one HBA per fabric, 64 VFs, 40 VMs
 * (most with full dual-fabric identities, a few at risk), one NPIV pool and two arrays. Seeded once, through the
 * same services the UI uses, in one transaction.
 */
@Component
@Profile("demo")
@Order(1)
class DemoData implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);
    private static final String SEEDER = "demo-seed";
    static final int HOSTS = 4;
    static final int VFS_PER_ADAPTER = 8;
    static final int VMS_PER_HOST = 10;

    private final FabricService fabrics;
    private final HostService hosts;
    private final VmService vms;
    private final WwnPoolService pools;
    private final StorageArrayService arrays;
    private final TransactionTemplate transaction;
    private final StorageAccessService access;
    private final BrocadeFosEmulator brocade;
    private final CiscoMdsEmulator mds;

    DemoData(FabricService fabrics, HostService hosts, VmService vms, WwnPoolService pools,
             StorageArrayService arrays, TransactionTemplate transaction,
             StorageAccessService access, BrocadeFosEmulator brocade,
             CiscoMdsEmulator mds) {
        this.access = access;
        this.brocade = brocade;
        this.mds = mds;
        this.fabrics = fabrics;
        this.hosts = hosts;
        this.vms = vms;
        this.pools = pools;
        this.arrays = arrays;
        this.transaction = transaction;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!fabrics.list().isEmpty()) {
            pointFabricsAtTheEmulators();
            return;
        }
        transaction.executeWithoutResult(status -> seed());
        log.info("Demo estate seeded: 2 fabrics, {} hosts, {} VFs, {} VMs", HOSTS, HOSTS * 2 * VFS_PER_ADAPTER,
                HOSTS * VMS_PER_HOST);
    }

    private void seed() {
        Fabric fabricA = fabrics.create(fabricForm("FAB-A", "A", FabricVendor.BROCADE_FOS_REST,
                DemoSwitches.FABRIC_A_VF_ID, brocade.baseUrl().toString(), "Production fabric A (emulated Brocade)"));
        Fabric fabricB = fabrics.create(fabricForm("FAB-B", "B", FabricVendor.CISCO_MDS_NXAPI,
                DemoSwitches.FABRIC_B_VSAN, mds.baseUrl().toString(), "Production fabric B (emulated Cisco MDS)"));
        WwnPool pool = pools.create(new WwnPoolForm("npiv-prod", 2, "2f:00:00:25:b5:00:00:00",
                "2f:00:00:25:b5:00:ff:ff", "00:25:b5", "NPIV identities for production VMs"));

        StorageArray pure = arrays.create(new StorageArrayForm("pure-x70-01", "Pure Storage", "FlashArray//X70",
                "PCHFL2241001"));
        StorageArray netapp = arrays.create(new StorageArrayForm("netapp-a400-01", "NetApp", "AFF A400",
                "721934000117"));
        for (int controller = 0; controller < 2; controller++) {
            arrays.addPort(pure.getId(), new TargetPortForm("CT" + controller + ".FC0",
                    String.format("52:4a:93:7a:1b:2c:%02x:00", controller), fabricA.getId()));
            arrays.addPort(pure.getId(), new TargetPortForm("CT" + controller + ".FC1",
                    String.format("52:4a:93:7a:1b:2c:%02x:01", controller), fabricB.getId()));
            arrays.addPort(netapp.getId(), new TargetPortForm("node" + (controller + 1) + ":0e",
                    String.format("20:%02x:00:a0:98:4d:3e:21", controller * 2 + 1), fabricA.getId()));
            arrays.addPort(netapp.getId(), new TargetPortForm("node" + (controller + 1) + ":0f",
                    String.format("20:%02x:00:a0:98:4d:3e:21", controller * 2 + 2), fabricB.getId()));
        }

        List<String> apps = List.of("sql", "web", "app", "erp", "mq", "etl", "bi", "mail", "file", "dc");
        for (int h = 1; h <= HOSTS; h++) {
            String cluster = h <= 2 ? "prod-cl01" : "prod-cl02";
            Host host = hosts.create(new HostForm(String.format("esx%02d.dc1", h), cluster, Hypervisor.ESXI));
            createAdapter(host, fabricA, h, 0);
            createAdapter(host, fabricB, h, 1);
            for (int v = 0; v < VMS_PER_HOST; v++) {
                String name = String.format("%s-%02d", apps.get(v), h);
                Vm vm = vms.create(new VmForm(name, UUID.nameUUIDFromBytes(name.getBytes()).toString(), host.getId(),
                        ""));
                if (v < 7) {
                    vms.allocateIdentityAndAssignVfs(vm.getId(), pool.getId(), SEEDER);
                }
                if (v < 2) {
                    access.grant(vm.getId(), pure.getId(), SEEDER);
                }
            }
        }
    }

    /** The emulators listen on new ports at every start: keep the demo fabrics pointed at them. */
    private void pointFabricsAtTheEmulators() {
        for (Fabric fabric : fabrics.list()) {
            String url = switch (fabric.getName()) {
                case "FAB-A" -> brocade.baseUrl().toString();
                case "FAB-B" -> mds.baseUrl().toString();
                default -> null;
            };
            if (url != null) {
                FabricForm current = fabrics.formOf(fabric);
                fabrics.update(fabric.getId(), fabricForm(fabric.getName(), fabric.getSide(),
                        "FAB-A".equals(fabric.getName()) ? FabricVendor.BROCADE_FOS_REST : FabricVendor.CISCO_MDS_NXAPI,
                        fabric.getVirtualFabricId(), url, current.description()));
            }
        }
    }

    private static FabricForm fabricForm(String name, String side, FabricVendor vendor, Integer id, String url,
                                         String description) {
        return new FabricForm(name, side, vendor.code(), id, url, DemoSwitches.SWITCH_USER, description,
                ZoningPolicy.SINGLE_INITIATOR_MULTI_TARGET, "vfz_{vm}_{array}", "vfz_cfg",
                DemoSwitches.SWITCH_PASSWORD);
    }

    private void createAdapter(Host host, Fabric fabric, int hostNumber, int port) {
        String serial = String.format("%02x:%02x", hostNumber, port);
        Adapter adapter = hosts.createAdapter(host.getId(), new AdapterForm(AdapterKind.HBA, "Emulex", "LPe35002",
                String.format("0000:%02x:00.0", port == 0 ? 0x3b : 0x5e), "20:00:00:10:9b:a1:" + serial,
                "10:00:00:10:9b:a1:" + serial, fabric.getId(), 64, 255));
        hosts.setVfCount(adapter.getId(), VFS_PER_ADAPTER);
    }
}
