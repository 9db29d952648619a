package org.vfzone.demo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.vfzone.inventory.InventoryDirectory;
import org.vfzone.security.People;
import org.vfzone.vcenter.VcenterConnections;
import org.vfzone.vcenter.VcenterForm;
import org.vfzone.vcenter.VcenterPoller;
import org.vfzone.vsphere.emulator.VcenterEmulator;
import org.vfzone.wwn.Wwn;

/**
 * Demo mode: an emulated vCenter holding the demo's ESXi VMs (with their NPIV WWPNs, as vSphere keeps them), and a
 * vCenter connection to it, so the VMs' disk IO is read by vfzone's poller as from a real vCenter. The traffic
 * generator reports each VM's IO to it.
 */
@Component
@Profile("demo")
@Order(4)
class DemoVcenter implements ApplicationRunner {

    static final String NAME = "vc01 (emulated)";

    private final VcenterEmulator vcenter;
    private final VcenterConnections connections;
    private final InventoryDirectory inventory;
    private final VcenterPoller poller;
    private final Map<Long, String> morefs = new HashMap<>();

    DemoVcenter(VcenterEmulator vcenter, VcenterConnections connections, InventoryDirectory inventory,
                VcenterPoller poller) {
        this.poller = poller;
        this.vcenter = vcenter;
        this.connections = connections;
        this.inventory = inventory;
    }

    @Override
    public void run(ApplicationArguments args) {
        Map<Long, List<Long>> wwpns = new HashMap<>();
        for (var pair : inventory.allInitiators()) {
            wwpns.computeIfAbsent(pair.vmId(), k -> new ArrayList<>()).addAll(List.of(
                    Wwn.parse(pair.activeWwpn()).value(), Wwn.parse(pair.standbyWwpn()).value()));
        }
        synchronized (this) {
            for (InventoryDirectory.VmKeys vm : inventory.allVmKeys()) {
                morefs.put(vm.vmId(), vcenter.addVm(vm.name(), vm.uuid() == null ? null : vm.uuid().toString(),
                        wwpns.getOrDefault(vm.vmId(), List.of())));
            }
        }
        // the emulator's port changes at every start: point the connection at it (with its password) again
        VcenterForm form = new VcenterForm(NAME, vcenter.baseUrl().toString(), DemoSwitches.VCENTER_USER,
                DemoSwitches.VCENTER_PASSWORD, "");
        long id = People.runAsSystem(() -> connections.list().stream().filter(v -> v.name().equals(NAME))
                .findFirst().map(v -> connections.update(v.id(), form)).orElseGet(() -> connections.create(form))
                .id());
        // read at once, so the VMs' pages name their vCenter from the start
        poller.poll(id);
    }

    /** The VM's disk IO from now on, as its guest does it: KB/s and commands per second. */
    synchronized void report(long vmId, long readKBps, long writeKBps, long readIops, long writeIops) {
        String moref = morefs.get(vmId);
        if (moref != null) {
            vcenter.diskIo(moref, "scsi0:0", readKBps, writeKBps, readIops, writeIops);
        }
    }
}
