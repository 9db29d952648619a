package org.vfzone.estate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.vfzone.inventory.Adapter;
import org.vfzone.inventory.AdapterForm;
import org.vfzone.inventory.AdapterKind;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.Host;
import org.vfzone.inventory.HostForm;
import org.vfzone.inventory.FabricService;
import org.vfzone.inventory.HostService;
import org.vfzone.inventory.InventoryStatistics;
import org.vfzone.inventory.Hypervisor;
import org.vfzone.inventory.StorageArray;
import org.vfzone.inventory.StorageArrayForm;
import org.vfzone.inventory.StorageArrayService;
import org.vfzone.inventory.TargetPort;
import org.vfzone.inventory.TargetPortForm;
import org.vfzone.inventory.VirtualFunction;
import org.vfzone.inventory.Vm;
import org.vfzone.inventory.VmForm;
import org.vfzone.inventory.VmService;
import org.vfzone.system.RuleViolation;
import org.vfzone.system.NotFoundException;
import org.vfzone.wwn.Wwn;
import org.vfzone.wwn.WwnFormatException;

/**
 * Imports an estate from CSV files shaped like a vCenter inventory export. Every row goes through the same services
 * as the UI, in dependency order, inside one transaction: a dry run is that same run rolled back, so its preview is
 * exactly what an apply would do, and an apply with any problem is rolled back whole. Rows are matched to what is
 * stored by their natural keys, so importing the same files again changes nothing. Identities the VMs already have
 * (WWNN, WWPN pairs) are kept, never re-allocated.
 */
@Service
public class EstateImport {

    /** The files, in the order they are applied, and their columns (header names are case- and space-insensitive). */
    public enum File {
        HOSTS("hosts.csv", "Host", "Cluster", "Hypervisor"),
        ADAPTERS("adapters.csv", "Host", "PCI Address", "Kind", "Vendor", "Model", "WWNN", "WWPN", "Fabric", "Max VFs",
                "Max NPIV Vports", "Enabled VFs"),
        ARRAYS("arrays.csv", "Array", "Vendor", "Model", "Serial", "Port", "Port WWPN", "Fabric"),
        VMS("vms.csv", "VM", "UUID", "Host", "Cluster", "WWNN"),
        VM_WWPNS("vm-wwpns.csv", "VM", "Fabric", "Active WWPN", "Standby WWPN"),
        VFS("vfs.csv", "Host", "PCI Address", "VF Index", "VM");

        public final String fileName;
        public final List<String> columns;

        File(String fileName, String... columns) {
            this.fileName = fileName;
            this.columns = List.of(columns);
        }
    }

    public record Problem(String file, int line, String column, String reason) {
    }

    public record Change(String file, int line, String action, String object) {
    }

    public record Report(boolean dryRun, boolean applied, List<Change> changes, List<Problem> problems) {
        public long count(String action) {
            return changes.stream().filter(c -> c.action().equals(action)).count();
        }
    }

    private final HostService hosts;
    private final VmService vms;
    private final StorageArrayService arrays;
    private final FabricService fabrics;
    private final InventoryStatistics statistics;
    private final TransactionTemplate transaction;
    private final Validator validator;
    @jakarta.persistence.PersistenceContext
    private jakarta.persistence.EntityManager entityManager;

    /**
     * Rows between flushing and clearing the persistence context: one transaction holds the whole import, and
     * before each query Hibernate dirty-checks every entity the context holds; a small context keeps that short
     * (200 rows spent half the import's CPU on it).
     */
    static final int ROWS_PER_FLUSH = 25;

    /**
     * Statistics of the tables an import fills, refreshed after 1,000 rows, then 4,000, 16,000…: the planner's
     * statistics of a young database say the tables are empty, and it then scans a whole table for every name
     * lookup. ANALYZE inside the transaction counts the transaction's own new rows (a dry run rolls it back), and
     * it also makes PostgreSQL re-plan the cached statements, so none keeps a plan made for the empty tables.
     */
    static final int FIRST_ANALYZE = 1_000;

    EstateImport(HostService hosts, VmService vms, StorageArrayService arrays, FabricService fabrics,
                 InventoryStatistics statistics, TransactionTemplate transaction, Validator validator) {
        this.hosts = hosts;
        this.vms = vms;
        this.arrays = arrays;
        this.fabrics = fabrics;
        this.statistics = statistics;
        this.transaction = transaction;
        this.validator = validator;
    }

    /** Runs the import; {@code files} maps a {@link File} to the CSV text (absent files are skipped). */
    public Report run(Map<File, String> files, boolean dryRun) {
        List<Problem> problems = new ArrayList<>();
        Map<File, List<EstateCsv.Row>> rows = new LinkedHashMap<>();
        for (File file : File.values()) {
            if (files.containsKey(file) && files.get(file) != null && !files.get(file).isBlank()) {
                rows.put(file, EstateCsv.parse(file, files.get(file), problems));
            }
        }
        List<Change> changes = new ArrayList<>();
        if (!problems.isEmpty()) {
            return new Report(dryRun, false, changes, problems);
        }
        Boolean applied = transaction.execute(status -> {
            int done = 0;
            int analyzeAt = FIRST_ANALYZE;
            for (Map.Entry<File, List<EstateCsv.Row>> entry : rows.entrySet()) {
                for (EstateCsv.Row row : entry.getValue()) {
                    if (++done % ROWS_PER_FLUSH == 0 && problems.isEmpty()) {
                        entityManager.flush();
                        entityManager.clear();
                    }
                    if (done == analyzeAt && problems.isEmpty()) {
                        entityManager.flush();
                        statistics.refresh();
                        analyzeAt *= 4;
                    }
                    try {
                        String action = apply(row);
                        changes.add(new Change(row.file().fileName, row.line(), action, EstateCsv.describe(row)));
                    } catch (RuleViolation e) {
                        problems.add(new Problem(row.file().fileName, row.line(), EstateCsv.column(row.file(), e.field()),
                                e.getMessage()));
                    } catch (NotFoundException e) {
                        problems.add(new Problem(row.file().fileName, row.line(), null, e.getMessage()));
                    }
                }
            }
            if (dryRun || !problems.isEmpty()) {
                status.setRollbackOnly();
                return false;
            }
            return true;
        });
        return new Report(dryRun, Boolean.TRUE.equals(applied), changes, problems);
    }

    /** Applies one row through the services; returns CREATE, UPDATE or UNCHANGED. */
    private String apply(EstateCsv.Row row) {
        return switch (row.file()) {
            case HOSTS -> host(row);
            case ADAPTERS -> adapter(row);
            case ARRAYS -> arrayPort(row);
            case VMS -> vm(row);
            case VM_WWPNS -> vmWwpns(row);
            case VFS -> vf(row);
        };
    }

    private String host(EstateCsv.Row row) {
        HostForm form = new HostForm(row.get("Host"), row.get("Cluster"), hypervisor(row.get("Hypervisor")));
        validate(form);
        Optional<Host> existing = hosts.findByName(form.name());
        if (existing.isEmpty()) {
            hosts.create(form);
            return "CREATE";
        }
        if (HostForm.of(existing.get()).equals(new HostForm(existing.get().getName(), blank(form.cluster()),
                form.hypervisor()))) {
            return "UNCHANGED";
        }
        hosts.update(existing.get().getId(), new HostForm(existing.get().getName(), form.cluster(), form.hypervisor()));
        return "UPDATE";
    }

    private String adapter(EstateCsv.Row row) {
        Host host = hostNamed(row.get("Host"), "Host");
        Fabric fabric = row.get("Fabric") == null ? null : fabricNamed(row.get("Fabric"));
        AdapterForm form = new AdapterForm(enumValue(AdapterKind.class, row.get("Kind"), "kind"), row.get("Vendor"),
                row.get("Model"), row.get("PCI Address") == null ? null : row.get("PCI Address").toLowerCase(Locale.ROOT),
                row.get("WWNN"), row.get("WWPN"), fabric == null ? null : fabric.getId(),
                integer(row.get("Max VFs"), "maxVfs"), integer(row.get("Max NPIV Vports"), "maxNpivVports"));
        validate(form);
        Optional<Adapter> existing = hosts.findAdapter(host.getId(), form.pciAddress());
        String action;
        Adapter adapter;
        if (existing.isEmpty()) {
            adapter = hosts.createAdapter(host.getId(), form);
            action = "CREATE";
        } else if (AdapterForm.of(existing.get()).equals(canonical(form))) {
            adapter = existing.get();
            action = "UNCHANGED";
        } else {
            adapter = hosts.updateAdapter(existing.get().getId(), form);
            action = "UPDATE";
        }
        Integer enabled = row.get("Enabled VFs") == null ? null : integer(row.get("Enabled VFs"), "enabledVfs");
        if (enabled != null && hosts.vfsOf(adapter.getId()).size() < enabled) {
            hosts.setVfCount(adapter.getId(), enabled);
            action = action.equals("UNCHANGED") ? "UPDATE" : action;
        }
        return action;
    }

    private static AdapterForm canonical(AdapterForm form) {
        return new AdapterForm(form.kind(), form.vendor(), form.model(), form.pciAddress(),
                Wwn.parse(form.wwnn()).toString(), Wwn.parse(form.wwpn()).toString(), form.fabricId(), form.maxVfs(),
                form.maxNpivVports());
    }

    private String arrayPort(EstateCsv.Row row) {
        StorageArrayForm arrayForm = new StorageArrayForm(row.get("Array"), row.get("Vendor"), row.get("Model"),
                row.get("Serial"));
        validate(arrayForm);
        String action = "UNCHANGED";
        StorageArray array = arrays.findByName(arrayForm.name()).orElse(null);
        if (array == null) {
            array = arrays.create(arrayForm);
            action = "CREATE";
        } else if (!StorageArrayForm.of(array).equals(new StorageArrayForm(array.getName(), arrayForm.vendor(),
                blank(arrayForm.model()), blank(arrayForm.serial())))) {
            arrays.update(array.getId(), new StorageArrayForm(array.getName(), arrayForm.vendor(), arrayForm.model(),
                    arrayForm.serial()));
            action = "UPDATE";
        }
        Fabric fabric = fabricNamed(row.get("Fabric"));
        TargetPortForm portForm = new TargetPortForm(row.get("Port"), row.get("Port WWPN"), fabric.getId());
        validate(portForm);
        Optional<TargetPort> port = arrays.findPort(array.getId(), portForm.name());
        if (port.isEmpty()) {
            arrays.addPort(array.getId(), portForm);
            return action.equals("UNCHANGED") ? "CREATE" : action;
        }
        if (!port.get().getWwpn().equals(Wwn.parse(portForm.wwpn())) || !port.get().getFabric().getId()
                .equals(fabric.getId())) {
            arrays.updatePort(port.get().getId(), portForm);
            return "UPDATE";
        }
        return action;
    }

    private String vm(EstateCsv.Row row) {
        Host host = hostNamed(row.get("Host"), "Host");
        String uuid = row.get("UUID");
        VmForm form = new VmForm(row.get("VM"), uuid == null ? "" : uuid, host.getId(), row.get("Cluster"));
        validate(form);
        Optional<Vm> existing = vms.findByName(form.name());
        String action;
        Vm vm;
        if (existing.isEmpty()) {
            vm = vms.create(form);
            action = "CREATE";
        } else {
            vm = existing.get();
            String cluster = form.cluster() == null || form.cluster().isBlank() ? vm.getCluster() : form.cluster();
            VmForm wanted = new VmForm(vm.getName(), uuid == null ? vm.getUuid().toString()
                    : UUID.fromString(uuid).toString(), host.getId(), cluster);
            if (VmForm.of(vm).equals(wanted)) {
                action = "UNCHANGED";
            } else {
                vms.update(vm.getId(), wanted);
                action = "UPDATE";
            }
        }
        if (row.get("WWNN") != null) {
            Wwn wwnn = wwn(row.get("WWNN"), "wwnn");
            if (!wwnn.equals(vm.getWwnn())) {
                vms.keepWwnn(vm.getId(), wwnn);
                action = action.equals("UNCHANGED") ? "UPDATE" : action;
            }
        }
        return action;
    }

    private String vmWwpns(EstateCsv.Row row) {
        Vm vm = vms.findByName(row.get("VM"))
                .orElseThrow(() -> RuleViolation.invalid("vm", "VM " + row.get("VM") + " does not exist"));
        Fabric fabric = fabricNamed(row.get("Fabric"));
        boolean changed = vms.keepWwpnPair(vm.getId(), fabric, wwn(row.get("Active WWPN"), "activeWwpn"),
                wwn(row.get("Standby WWPN"), "standbyWwpn"));
        return changed ? "CREATE" : "UNCHANGED";
    }

    private String vf(EstateCsv.Row row) {
        Host host = hostNamed(row.get("Host"), "Host");
        String pci = row.get("PCI Address") == null ? "" : row.get("PCI Address").toLowerCase(Locale.ROOT);
        Adapter adapter = hosts.findAdapter(host.getId(), pci)
                .orElseThrow(() -> RuleViolation.invalid("pciAddress", "host " + host.getName()
                        + " has no adapter at " + pci));
        int index = integer(row.get("VF Index"), "vfIndex");
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
            return "UNCHANGED";
        }
        vms.assignVf(vm.getId(), vf.getId());
        return "CREATE";
    }

    private Host hostNamed(String name, String column) {
        return hosts.findByName(name)
                .orElseThrow(() -> RuleViolation.invalid("hostId", "host " + name + " does not exist (neither "
                        + "stored nor in hosts.csv)"));
    }

    private Fabric fabricNamed(String name) {
        return fabrics.findByName(name)
                .orElseThrow(() -> RuleViolation.invalid("fabricId", "fabric " + name + " does not exist; "
                        + "create the fabrics first"));
    }

    private <T> void validate(T form) {
        Set<ConstraintViolation<T>> violations = validator.validate(form);
        if (!violations.isEmpty()) {
            ConstraintViolation<T> first = violations.stream()
                    .sorted(java.util.Comparator.comparing(v -> v.getPropertyPath().toString())).findFirst().get();
            throw RuleViolation.invalid(first.getPropertyPath().toString(), first.getMessage());
        }
    }

    private static Wwn wwn(String text, String field) {
        try {
            return Wwn.parse(text);
        } catch (WwnFormatException e) {
            throw RuleViolation.invalid(field, "is not a valid WWN: " + e.getMessage());
        }
    }

    private static Integer integer(String text, String field) {
        if (text == null) {
            return null;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw RuleViolation.invalid(field, "'" + text + "' is not a whole number");
        }
    }

    private static Hypervisor hypervisor(String text) {
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

    private static <E extends Enum<E>> E enumValue(Class<E> type, String text, String field) {
        try {
            return Enum.valueOf(type, Objects.requireNonNullElse(text, "").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw RuleViolation.invalid(field, "'" + text + "' must be one of "
                    + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }

    private static String blank(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

}
