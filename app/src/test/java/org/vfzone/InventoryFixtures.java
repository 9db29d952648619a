package org.vfzone;

import static org.vfzone.IntegrationTest.unique;
import static org.vfzone.IntegrationTest.uniqueWwn;

import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.boot.test.context.TestComponent;
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
import org.vfzone.inventory.Vm;
import org.vfzone.inventory.VmForm;
import org.vfzone.inventory.VmService;
import org.vfzone.inventory.ZoningPolicy;
import org.vfzone.inventory.internal.VmFabricIdentityRepository;
import org.vfzone.wwn.Wwn;
import org.vfzone.wwn.WwnPool;
import org.vfzone.wwn.WwnPoolForm;
import org.vfzone.wwn.WwnPoolService;

/** Builds inventory through the real services, with names and WWNs unique to the calling test. */
@TestComponent
public class InventoryFixtures {

    /** Pools get disjoint NAA 3 ranges of 4096 so tests never share (or overlap) one. */
    private static final AtomicLong NEXT_POOL_RANGE = new AtomicLong(new Random().nextInt(1 << 20));

    private final FabricService fabrics;
    private final HostService hosts;
    private final VmService vms;
    private final WwnPoolService pools;
    private final VmFabricIdentityRepository identities;

    InventoryFixtures(FabricService fabrics, HostService hosts, VmService vms, WwnPoolService pools,
                      VmFabricIdentityRepository identities) {
        this.identities = identities;
        this.fabrics = fabrics;
        this.hosts = hosts;
        this.vms = vms;
        this.pools = pools;
    }

    public Fabric fabric(String side) {
        return fabrics.create(new FabricForm(unique("fab" + side), side, "simulated", null, "", "", ""));
    }

    /** A fabric managed by vfzone on an emulated Brocade switch (virtual fabric {@code vf}), zoning one zone per VM and array. */
    public Fabric brocadeFabric(BrocadeFosEmulator emulator, int vf, String password) {
        return fabrics.create(new FabricForm(unique("brcd"), "A", "brocade-fos-rest", vf, emulator.baseUrl().toString(),
                "admin", "", ZoningPolicy.SINGLE_INITIATOR_MULTI_TARGET, "vfz_{vm}_{array}",
                "vfz_cfg", password));
    }

    /** A fabric managed by vfzone on an emulated Cisco MDS switch (VSAN {@code vsan}). */
    public Fabric mdsFabric(CiscoMdsEmulator emulator, int vsan, String password) {
        return fabrics.create(new FabricForm(unique("mds"), "B", "cisco-mds-nxapi", vsan, emulator.baseUrl().toString(),
                "admin", "", ZoningPolicy.SINGLE_INITIATOR_MULTI_TARGET, "vfz_{vm}_{array}",
                "vfz_zs", password));
    }

    public Host host() {
        return hosts.create(new HostForm(unique("esx"), "cl-test", Hypervisor.ESXI));
    }

    public Adapter adapter(Host host, Fabric fabric, int maxVfs, int enabledVfs) {
        int pciIndex = hosts.adaptersOf(host.getId()).size();
        Adapter adapter = hosts.createAdapter(host.getId(), new AdapterForm(AdapterKind.HBA, "Emulex", "LPe35002",
                String.format("0000:%02x:00.0", 0x10 + pciIndex), uniqueWwn(), uniqueWwn(),
                fabric == null ? null : fabric.getId(), maxVfs, 255));
        if (enabledVfs > 0) {
            hosts.setVfCount(adapter.getId(), enabledVfs);
        }
        return adapter;
    }

    public Vm vm(Host host) {
        return vms.create(new VmForm(unique("vm"), "", host.getId(), ""));
    }

    /** A VM on a host with an adapter on a new fabric, with its NPIV identity allocated: its active WWPN. */
    public Wwn vmWithActiveWwpn() {
        Host host = host();
        Fabric fabric = fabric("A");
        adapter(host, fabric, 4, 2);
        Vm vm = vm(host);
        vms.allocateIdentityAndAssignVfs(vm.getId(), pool(8).getId(), "tester");
        return identities.findByVmIdAndFabricId(vm.getId(), fabric.getId()).orElseThrow().getActiveWwpn();
    }

    public WwnPool pool(int size) {
        long start = NEXT_POOL_RANGE.getAndIncrement() << 12;
        Wwn first = Wwn.parse(String.format("3000%012x", start));
        return pools.create(new WwnPoolForm(unique("pool"), 3, first.toString(), first.plus(size - 1).toString(), "",
                "test pool"));
    }
}
