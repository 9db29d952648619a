package org.vfzone.estate;

import java.util.Optional;

import org.springframework.stereotype.Component;
import org.vfzone.inventory.Host;
import org.vfzone.inventory.HostForm;
import org.vfzone.inventory.HostService;
import org.vfzone.inventory.Hypervisor;

/** Hosts (hosts.csv): created, or their cluster and hypervisor updated. */
@Component
class HostRows implements RowImporter {

    private final EstateRows rows;
    private final HostService hosts;

    HostRows(EstateRows rows, HostService hosts) {
        this.rows = rows;
        this.hosts = hosts;
    }

    @Override
    public EstateImport.File file() {
        return EstateImport.File.HOSTS;
    }

    @Override
    public RowAction apply(EstateCsv.Row row) {
        HostForm form = new HostForm(row.get("Host"), row.get("Cluster"), rows.hypervisor(row.get("Hypervisor")));
        rows.validate(form);
        Optional<Host> existing = hosts.findByName(form.name());
        if (existing.isEmpty()) {
            hosts.create(form);
            return RowAction.CREATE;
        }
        if (HostForm.of(existing.get()).equals(new HostForm(existing.get().getName(), rows.blank(form.cluster()),
                form.hypervisor()))) {
            return RowAction.UNCHANGED;
        }
        hosts.update(existing.get().getId(), new HostForm(existing.get().getName(), form.cluster(), form.hypervisor()));
        return RowAction.UPDATE;
    }
}
