package org.vfzone.estate;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.springframework.stereotype.Component;
import org.vfzone.inventory.AdapterForm;
import org.vfzone.inventory.AdapterKind;
import org.vfzone.inventory.HostForm;
import org.vfzone.inventory.Hypervisor;
import org.vfzone.inventory.InventoryImport;
import org.vfzone.inventory.StorageArrayForm;
import org.vfzone.inventory.TargetPortForm;
import org.vfzone.inventory.VmForm;
import org.vfzone.system.RuleViolation;
import org.vfzone.wwn.Wwn;
import org.vfzone.wwn.WwnFormatException;

/**
 * The estate's CSV rows as the inventory import's rows, checked for everything that needs no stored state: the
 * forms' validation (the same as the UI's), WWNs, numbers and enum values, each refusal naming its field. Names
 * that refer to stored objects (hosts, fabrics, VMs) are resolved by the import.
 */
@Component
class EstateRows {

    /** A form's stand-in for a referenced object's id: the name is checked against what is stored later. */
    private static final Long NAMED = 0L;

    private final Validator validator;

    EstateRows(Validator validator) {
        this.validator = validator;
    }

    InventoryImport.HostRow host(EstateCsv.Row row) {
        HostForm form = new HostForm(row.get("Host"), row.get("Cluster"), hypervisor(row.get("Hypervisor")));
        validate(form);
        return new InventoryImport.HostRow(row.line(), form.name(), form.cluster(), form.hypervisor());
    }

    InventoryImport.AdapterRow adapter(EstateCsv.Row row) {
        String host = required(row, "Host", "hostId");
        String pci = row.get("PCI Address") == null ? null : row.get("PCI Address").toLowerCase(Locale.ROOT);
        AdapterForm form = new AdapterForm(enumValue(AdapterKind.class, row.get("Kind"), "kind"), row.get("Vendor"),
                row.get("Model"), pci, row.get("WWNN"), row.get("WWPN"), null, integer(row.get("Max VFs"), "maxVfs"),
                integer(row.get("Max NPIV Vports"), "maxNpivVports"));
        validate(form);
        Wwn wwnn = wwn(form.wwnn(), "wwnn");
        Wwn wwpn = wwn(form.wwpn(), "wwpn");
        if (wwnn.equals(wwpn)) {
            throw RuleViolation.invalid("wwpn", "must differ from the WWNN");
        }
        Integer enabled = integer(row.get("Enabled VFs"), "enabledVfs");
        if (enabled != null && (enabled < 0 || enabled > form.maxVfs())) {
            throw RuleViolation.invalid("count", "must be between 0 and the adapter's maximum of " + form.maxVfs()
                    + " VFs");
        }
        return new InventoryImport.AdapterRow(row.line(), host, pci, form.kind(), form.vendor(), form.model(), wwnn,
                wwpn, row.get("Fabric"), form.maxVfs(), form.maxNpivVports(), enabled);
    }

    InventoryImport.ArrayPortRow arrayPort(EstateCsv.Row row) {
        StorageArrayForm array = new StorageArrayForm(row.get("Array"), row.get("Vendor"), row.get("Model"),
                row.get("Serial"));
        validate(array);
        String fabric = required(row, "Fabric", "fabricId");
        TargetPortForm port = new TargetPortForm(row.get("Port"), row.get("Port WWPN"), NAMED);
        validate(port);
        return new InventoryImport.ArrayPortRow(row.line(), array.name(), array.vendor(), array.model(),
                array.serial(), port.name(), wwn(port.wwpn(), "wwpn"), fabric);
    }

    InventoryImport.VmRow vm(EstateCsv.Row row) {
        String host = required(row, "Host", "hostId");
        String uuid = row.get("UUID");
        VmForm form = new VmForm(row.get("VM"), uuid == null ? "" : uuid, NAMED, row.get("Cluster"));
        validate(form);
        Wwn wwnn = row.get("WWNN") == null ? null : wwn(row.get("WWNN"), "wwnn");
        return new InventoryImport.VmRow(row.line(), form.name(), uuid == null ? null : UUID.fromString(uuid), host,
                form.cluster(), wwnn);
    }

    InventoryImport.VmWwpnRow vmWwpn(EstateCsv.Row row) {
        String vm = required(row, "VM", "vm");
        String fabric = required(row, "Fabric", "fabricId");
        Wwn active = wwn(row.get("Active WWPN"), "activeWwpn");
        Wwn standby = wwn(row.get("Standby WWPN"), "standbyWwpn");
        if (active.equals(standby)) {
            throw RuleViolation.invalid("standbyWwpn", "must differ from the active WWPN");
        }
        return new InventoryImport.VmWwpnRow(row.line(), vm, fabric, active, standby);
    }

    InventoryImport.VfRow vf(EstateCsv.Row row) {
        String host = required(row, "Host", "hostId");
        String pci = required(row, "PCI Address", "pciAddress").toLowerCase(Locale.ROOT);
        Integer index = integer(required(row, "VF Index", "vfIndex"), "vfIndex");
        String vm = required(row, "VM", "vm");
        return new InventoryImport.VfRow(row.line(), host, pci, index, vm);
    }

    private static String required(EstateCsv.Row row, String column, String field) {
        String value = row.get(column);
        if (value == null) {
            throw RuleViolation.invalid(field, "is required");
        }
        return value;
    }

    private <T> void validate(T form) {
        Set<ConstraintViolation<T>> violations = validator.validate(form);
        if (!violations.isEmpty()) {
            ConstraintViolation<T> first = violations.stream()
                    .sorted(Comparator.comparing(v -> v.getPropertyPath().toString())).findFirst().get();
            throw RuleViolation.invalid(first.getPropertyPath().toString(), first.getMessage());
        }
    }

    static Wwn wwn(String text, String field) {
        try {
            return Wwn.parse(text);
        } catch (WwnFormatException e) {
            throw RuleViolation.invalid(field, "is not a valid WWN: " + e.getMessage());
        }
    }

    static Integer integer(String text, String field) {
        if (text == null) {
            return null;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw RuleViolation.invalid(field, "'" + text + "' is not a whole number");
        }
    }

    static Hypervisor hypervisor(String text) {
        if (text == null) {
            return Hypervisor.ESXI;
        }
        String t = text.toLowerCase(Locale.ROOT).replace(" ", "");
        if (t.contains("esx") || t.contains("vmware")) {
            return Hypervisor.ESXI;
        }
        if (t.contains("hyper")) {
            return Hypervisor.HYPER_V;
        }
        if (t.contains("kvm")) {
            return Hypervisor.KVM;
        }
        throw RuleViolation.invalid("hypervisor", "'" + text + "' is not ESXi, Hyper-V or KVM");
    }

    static <E extends Enum<E>> E enumValue(Class<E> type, String text, String field) {
        try {
            return Enum.valueOf(type, Objects.requireNonNullElse(text, "").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw RuleViolation.invalid(field, "'" + text + "' must be one of "
                    + Arrays.toString(type.getEnumConstants()));
        }
    }
}
