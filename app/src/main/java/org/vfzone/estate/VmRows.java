package org.vfzone.estate;

import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Component;
import org.vfzone.inventory.Host;
import org.vfzone.inventory.Vm;
import org.vfzone.inventory.VmForm;
import org.vfzone.inventory.VmService;
import org.vfzone.wwn.Wwn;

/** VMs (vms.csv) on stored hosts, keeping a WWNN the VM already has. */
@Component
class VmRows implements RowImporter {

    private final EstateRows rows;
    private final VmService vms;

    VmRows(EstateRows rows, VmService vms) {
        this.rows = rows;
        this.vms = vms;
    }

    @Override
    public EstateImport.File file() {
        return EstateImport.File.VMS;
    }

    @Override
    public RowAction apply(EstateCsv.Row row) {
        Host host = rows.hostNamed(row.get("Host"), "Host");
        String uuid = row.get("UUID");
        VmForm form = new VmForm(row.get("VM"), uuid == null ? "" : uuid, host.getId(), row.get("Cluster"));
        rows.validate(form);
        Optional<Vm> existing = vms.findByName(form.name());
        RowAction action;
        Vm vm;
        if (existing.isEmpty()) {
            vm = vms.create(form);
            action = RowAction.CREATE;
        } else {
            vm = existing.get();
            String cluster = form.cluster() == null || form.cluster().isBlank() ? vm.getCluster() : form.cluster();
            VmForm wanted = new VmForm(vm.getName(), uuid == null ? vm.getUuid().toString()
                    : UUID.fromString(uuid).toString(), host.getId(), cluster);
            if (VmForm.of(vm).equals(wanted)) {
                action = RowAction.UNCHANGED;
            } else {
                vms.update(vm.getId(), wanted);
                action = RowAction.UPDATE;
            }
        }
        if (row.get("WWNN") != null) {
            Wwn wwnn = rows.wwn(row.get("WWNN"), "wwnn");
            if (!wwnn.equals(vm.getWwnn())) {
                vms.keepWwnn(vm.getId(), wwnn);
                action = action == RowAction.UNCHANGED ? RowAction.UPDATE : action;
            }
        }
        return action;
    }
}
