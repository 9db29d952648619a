package org.vfzone.estate;

import java.util.Locale;
import java.util.Optional;

import org.springframework.stereotype.Component;
import org.vfzone.inventory.Adapter;
import org.vfzone.inventory.AdapterForm;
import org.vfzone.inventory.AdapterKind;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.Host;
import org.vfzone.inventory.HostService;
import org.vfzone.wwn.Wwn;

/** Adapters (adapters.csv) of stored hosts, with the VFs they should enable. */
@Component
class AdapterRows implements RowImporter {

    private final EstateRows rows;
    private final HostService hosts;

    AdapterRows(EstateRows rows, HostService hosts) {
        this.rows = rows;
        this.hosts = hosts;
    }

    @Override
    public EstateImport.File file() {
        return EstateImport.File.ADAPTERS;
    }

    @Override
    public RowAction apply(EstateCsv.Row row) {
        Host host = rows.hostNamed(row.get("Host"), "Host");
        Fabric fabric = row.get("Fabric") == null ? null : rows.fabricNamed(row.get("Fabric"));
        AdapterForm form = new AdapterForm(rows.enumValue(AdapterKind.class, row.get("Kind"), "kind"), row.get("Vendor"),
                row.get("Model"), row.get("PCI Address") == null ? null : row.get("PCI Address").toLowerCase(Locale.ROOT),
                row.get("WWNN"), row.get("WWPN"), fabric == null ? null : fabric.getId(),
                rows.integer(row.get("Max VFs"), "maxVfs"), rows.integer(row.get("Max NPIV Vports"), "maxNpivVports"));
        rows.validate(form);
        Optional<Adapter> existing = hosts.findAdapter(host.getId(), form.pciAddress());
        RowAction action;
        Adapter adapter;
        if (existing.isEmpty()) {
            adapter = hosts.createAdapter(host.getId(), form);
            action = RowAction.CREATE;
        } else if (AdapterForm.of(existing.get()).equals(canonical(form))) {
            adapter = existing.get();
            action = RowAction.UNCHANGED;
        } else {
            adapter = hosts.updateAdapter(existing.get().getId(), form);
            action = RowAction.UPDATE;
        }
        Integer enabled = row.get("Enabled VFs") == null ? null : rows.integer(row.get("Enabled VFs"), "enabledVfs");
        if (enabled != null && hosts.vfsOf(adapter.getId()).size() < enabled) {
            hosts.setVfCount(adapter.getId(), enabled);
            action = action == RowAction.UNCHANGED ? RowAction.UPDATE : action;
        }
        return action;
    }

    private static AdapterForm canonical(AdapterForm form) {
        return new AdapterForm(form.kind(), form.vendor(), form.model(), form.pciAddress(),
                Wwn.parse(form.wwnn()).toString(), Wwn.parse(form.wwpn()).toString(), form.fabricId(), form.maxVfs(),
                form.maxNpivVports());
    }
}
