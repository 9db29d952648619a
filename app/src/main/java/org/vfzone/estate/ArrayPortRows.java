package org.vfzone.estate;

import java.util.Optional;

import org.springframework.stereotype.Component;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.StorageArray;
import org.vfzone.inventory.StorageArrayForm;
import org.vfzone.inventory.StorageArrayService;
import org.vfzone.inventory.TargetPort;
import org.vfzone.inventory.TargetPortForm;
import org.vfzone.wwn.Wwn;

/** Storage arrays and their target ports (arrays.csv), one port per row. */
@Component
class ArrayPortRows implements RowImporter {

    private final EstateRows rows;
    private final StorageArrayService arrays;

    ArrayPortRows(EstateRows rows, StorageArrayService arrays) {
        this.rows = rows;
        this.arrays = arrays;
    }

    @Override
    public EstateImport.File file() {
        return EstateImport.File.ARRAYS;
    }

    @Override
    public RowAction apply(EstateCsv.Row row) {
        StorageArrayForm arrayForm = new StorageArrayForm(row.get("Array"), row.get("Vendor"), row.get("Model"),
                row.get("Serial"));
        rows.validate(arrayForm);
        RowAction action = RowAction.UNCHANGED;
        StorageArray array = arrays.findByName(arrayForm.name()).orElse(null);
        if (array == null) {
            array = arrays.create(arrayForm);
            action = RowAction.CREATE;
        } else if (!StorageArrayForm.of(array).equals(new StorageArrayForm(array.getName(), arrayForm.vendor(),
                rows.blank(arrayForm.model()), rows.blank(arrayForm.serial())))) {
            arrays.update(array.getId(), new StorageArrayForm(array.getName(), arrayForm.vendor(), arrayForm.model(),
                    arrayForm.serial()));
            action = RowAction.UPDATE;
        }
        Fabric fabric = rows.fabricNamed(row.get("Fabric"));
        TargetPortForm portForm = new TargetPortForm(row.get("Port"), row.get("Port WWPN"), fabric.getId());
        rows.validate(portForm);
        Optional<TargetPort> port = arrays.findPort(array.getId(), portForm.name());
        if (port.isEmpty()) {
            arrays.addPort(array.getId(), portForm);
            return action == RowAction.UNCHANGED ? RowAction.CREATE : action;
        }
        if (!port.get().getWwpn().equals(Wwn.parse(portForm.wwpn())) || !port.get().getFabric().getId()
                .equals(fabric.getId())) {
            arrays.updatePort(port.get().getId(), portForm);
            return RowAction.UPDATE;
        }
        return action;
    }
}
