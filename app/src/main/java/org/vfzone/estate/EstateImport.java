package org.vfzone.estate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.vfzone.inventory.InventoryImport;
import org.vfzone.system.RuleViolation;
import org.vfzone.wwn.Wwn;

/**
 * Imports an estate from CSV files shaped like a vCenter inventory export. Each file's rows are checked as the UI's
 * forms check them, then applied set by set ({@link InventoryImport}: COPY into a temporary table, a statement per
 * rule, a few statements to store what passed), in dependency order, inside one transaction: a dry run is that same
 * run rolled back, so its preview is exactly what an apply would do, and an apply with any problem is rolled back
 * whole. Rows are matched to what is stored by their natural keys, so importing the same files again changes
 * nothing. Identities the VMs already have (WWNN, WWPN pairs) are kept, never re-allocated.
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

    public record Change(String file, int line, RowAction action, String object) {
    }

    public record Report(boolean dryRun, boolean applied, List<Change> changes, List<Problem> problems) {
        public long count(RowAction action) {
            return changes.stream().filter(c -> c.action().equals(action)).count();
        }

        public long created() {
            return count(RowAction.CREATE);
        }

        public long updated() {
            return count(RowAction.UPDATE);
        }

        public long unchanged() {
            return count(RowAction.UNCHANGED);
        }
    }

    private final EstateRows estateRows;
    private final InventoryImport inventory;
    private final TransactionTemplate transaction;

    EstateImport(EstateRows estateRows, InventoryImport inventory, TransactionTemplate transaction) {
        this.estateRows = estateRows;
        this.inventory = inventory;
        this.transaction = transaction;
    }

    /** Runs the import; {@code files} maps a {@link File} to the CSV text (absent files are skipped). */
    public Report run(Map<File, String> files, boolean dryRun) {
        return run(files, dryRun, ImportProgress.Tracker.NONE);
    }

    /** Runs the import, reporting the rows applied so far to {@code progress} as it goes from file to file. */
    Report run(Map<File, String> files, boolean dryRun, ImportProgress.Tracker progress) {
        List<Problem> problems = new ArrayList<>();
        Map<File, List<EstateCsv.Row>> rows = new LinkedHashMap<>();
        for (File file : File.values()) {
            if (files.containsKey(file) && files.get(file) != null && !files.get(file).isBlank()) {
                rows.put(file, EstateCsv.parse(file, files.get(file), problems));
            }
        }
        int total = rows.values().stream().mapToInt(List::size).sum();
        progress.report(0, total, null, false);
        Map<File, List<Object>> checked = check(rows, problems);
        List<Change> changes = new ArrayList<>();
        // with problems in the files, the rows that could be read are still checked against the inventory (and
        // rolled back): every problem of the import shows in one round
        String[] applying = {null};
        Boolean applied;
        try {
            applied = transaction.execute(status -> {
                int done = 0;
                for (Map.Entry<File, List<Object>> entry : checked.entrySet()) {
                    File file = entry.getKey();
                    applying[0] = file.fileName;
                    progress.report(done, total, file.fileName, false);
                    Map<Integer, EstateCsv.Row> byLine = new HashMap<>();
                    rows.get(file).forEach(row -> byLine.put(row.line(), row));
                    List<InventoryImport.Outcome> outcomes = apply(file, entry.getValue());
                    for (InventoryImport.Outcome outcome : outcomes) {
                        if (outcome.problem() != null) {
                            problems.add(new Problem(file.fileName, outcome.line(), EstateCsv.column(file,
                                    outcome.field()), outcome.problem()));
                        } else {
                            changes.add(new Change(file.fileName, outcome.line(),
                                    RowAction.valueOf(outcome.action().name()),
                                    EstateCsv.describe(byLine.get(outcome.line()))));
                        }
                    }
                    done += rows.get(file).size();
                }
                if (dryRun || !problems.isEmpty()) {
                    status.setRollbackOnly();
                    return false;
                }
                return true;
            });
        } catch (DataIntegrityViolationException
                 | ConcurrencyFailureException e) {
            // checked and stored in one transaction, but the UI may enter the same name or WWN in between
            problems.add(new Problem(applying[0], 0, null, "the inventory changed while this file was applied (the "
                    + "same name or WWN entered, or a VF assigned, at that moment), so nothing was stored; run the "
                    + "import again"));
            changes.clear();
            applied = false;
        }
        progress.report(total, total, null, true);
        List<String> fileOrder = Arrays.stream(File.values()).map(f -> f.fileName).toList();
        problems.sort(Comparator.comparing((Problem p) -> fileOrder.indexOf(p.file()))
                .thenComparing(Problem::line));
        changes.sort(Comparator.comparing((Change c) -> fileOrder.indexOf(c.file()))
                .thenComparing(Change::line));
        return new Report(dryRun, Boolean.TRUE.equals(applied), changes, problems);
    }

    /**
     * Each file's rows as the inventory import's rows, with what needs no stored state checked: values, forms, and
     * a WWN given twice anywhere in the import (a WWN names one port or node only).
     */
    private Map<File, List<Object>> check(Map<File, List<EstateCsv.Row>> rows, List<Problem> problems) {
        Map<File, List<Object>> checked = new LinkedHashMap<>();
        Map<Wwn, String> firstUse = new HashMap<>();
        for (Map.Entry<File, List<EstateCsv.Row>> entry : rows.entrySet()) {
            File file = entry.getKey();
            List<Object> typed = new ArrayList<>();
            for (EstateCsv.Row row : entry.getValue()) {
                try {
                    Object checkedRow = switch (file) {
                        case HOSTS -> estateRows.host(row);
                        case ADAPTERS -> estateRows.adapter(row);
                        case ARRAYS -> estateRows.arrayPort(row);
                        case VMS -> estateRows.vm(row);
                        case VM_WWPNS -> estateRows.vmWwpn(row);
                        case VFS -> estateRows.vf(row);
                    };
                    for (Map.Entry<String, Wwn> wwn : wwnsOf(checkedRow).entrySet()) {
                        String earlier = firstUse.putIfAbsent(wwn.getValue(), file.fileName + " line " + row.line());
                        if (earlier != null) {
                            throw RuleViolation.conflict(wwn.getKey(), wwn.getValue() + " is also on " + earlier);
                        }
                    }
                    typed.add(checkedRow);
                } catch (RuleViolation e) {
                    problems.add(new Problem(file.fileName, row.line(), EstateCsv.column(file, e.field()),
                            e.getMessage()));
                }
            }
            checked.put(file, typed);
        }
        return checked;
    }

    /** The WWNs a row gives, by field. */
    private static Map<String, Wwn> wwnsOf(Object row) {
        Map<String, Wwn> wwns = new LinkedHashMap<>();
        if (row instanceof InventoryImport.AdapterRow adapter) {
            wwns.put("wwnn", adapter.wwnn());
            wwns.put("wwpn", adapter.wwpn());
        } else if (row instanceof InventoryImport.ArrayPortRow port) {
            wwns.put("wwpn", port.wwpn());
        } else if (row instanceof InventoryImport.VmRow vm && vm.wwnn() != null) {
            wwns.put("wwnn", vm.wwnn());
        } else if (row instanceof InventoryImport.VmWwpnRow pair) {
            wwns.put("activeWwpn", pair.active());
            wwns.put("standbyWwpn", pair.standby());
        }
        return wwns;
    }

    @SuppressWarnings("unchecked")
    private List<InventoryImport.Outcome> apply(File file, List<?> rows) {
        return switch (file) {
            case HOSTS -> inventory.hosts((List<InventoryImport.HostRow>) rows);
            case ADAPTERS -> inventory.adapters((List<InventoryImport.AdapterRow>) rows);
            case ARRAYS -> inventory.arrayPorts((List<InventoryImport.ArrayPortRow>) rows);
            case VMS -> inventory.vms((List<InventoryImport.VmRow>) rows);
            case VM_WWPNS -> inventory.vmWwpns((List<InventoryImport.VmWwpnRow>) rows);
            case VFS -> inventory.vfs((List<InventoryImport.VfRow>) rows);
        };
    }
}
