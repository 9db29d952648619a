package org.vfzone.estate;

import java.util.Locale;

import org.springframework.stereotype.Component;
import org.vfzone.inventory.Adapter;
import org.vfzone.inventory.Host;
import org.vfzone.inventory.HostService;
import org.vfzone.inventory.VirtualFunction;
import org.vfzone.inventory.Vm;
import org.vfzone.inventory.VmService;
import org.vfzone.system.RuleViolation;

/** VF assignments (vfs.csv): which VF of which adapter a VM uses. */
@Component
class VfRows implements RowImporter {

    private final EstateRows rows;
    private final HostService hosts;
    private final VmService vms;

    VfRows(EstateRows rows, HostService hosts, VmService vms) {
        this.rows = rows;
        this.hosts = hosts;
        this.vms = vms;
    }

    @Override
    public EstateImport.File file() {
        return EstateImport.File.VFS;
    }

    @Override
    public RowAction apply(EstateCsv.Row row) {
        Host host = rows.hostNamed(row.get("Host"), "Host");
        String pci = row.get("PCI Address") == null ? "" : row.get("PCI Address").toLowerCase(Locale.ROOT);
        Adapter adapter = hosts.findAdapter(host.getId(), pci)
                .orElseThrow(() -> RuleViolation.invalid("pciAddress", "host " + host.getName()
                        + " has no adapter at " + pci));
        int index = rows.integer(row.get("VF Index"), "vfIndex");
        if (index < 0 || index >= adapter.getMaxVfs()) {
            throw RuleViolation.invalid("vfIndex", "VF " + index + " is over the adapter's limit of "
                    + adapter.getMaxVfs() + " VFs");
        }
        Vm vm = vms.findByName(row.get("VM"))
                .orElseThrow(() -> RuleViolation.invalid("vm", "VM " + row.get("VM") + " does not exist"));
        // VFs are numbered without holes, so a missing index means the adapter enables fewer; asking for the one
        // VF keeps the adapter's other VFs (and their VMs) out of the persistence context
        VirtualFunction vf = hosts.findVf(adapter.getId(), index).orElse(null);
        if (vf == null) {
            hosts.setVfCount(adapter.getId(), index + 1);
            vf = hosts.findVf(adapter.getId(), index).orElseThrow();
        }
        if (vf.getVm() != null && vf.getVm().getId().equals(vm.getId())) {
            return RowAction.UNCHANGED;
        }
        vms.assignVf(vm.getId(), vf.getId());
        return RowAction.CREATE;
    }
}
