package org.vfzone.estate;

import org.springframework.stereotype.Component;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.Vm;
import org.vfzone.inventory.VmService;
import org.vfzone.system.RuleViolation;

/** The WWPN pairs VMs already use per fabric (vm-wwpns.csv), kept as they are. */
@Component
class VmWwpnRows implements RowImporter {

    private final EstateRows rows;
    private final VmService vms;

    VmWwpnRows(EstateRows rows, VmService vms) {
        this.rows = rows;
        this.vms = vms;
    }

    @Override
    public EstateImport.File file() {
        return EstateImport.File.VM_WWPNS;
    }

    @Override
    public RowAction apply(EstateCsv.Row row) {
        Vm vm = vms.findByName(row.get("VM"))
                .orElseThrow(() -> RuleViolation.invalid("vm", "VM " + row.get("VM") + " does not exist"));
        Fabric fabric = rows.fabricNamed(row.get("Fabric"));
        boolean changed = vms.keepWwpnPair(vm.getId(), fabric, rows.wwn(row.get("Active WWPN"), "activeWwpn"),
                rows.wwn(row.get("Standby WWPN"), "standbyWwpn"));
        return changed ? RowAction.CREATE : RowAction.UNCHANGED;
    }
}
