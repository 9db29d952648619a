package org.vfzone.estate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.Host;
import org.vfzone.inventory.InventoryStatistics;
import org.vfzone.inventory.Hypervisor;
import org.vfzone.system.RuleViolation;
import org.vfzone.system.NotFoundException;

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

    private final Map<File, RowImporter> importers = new java.util.EnumMap<>(File.class);
    private final InventoryStatistics statistics;
    private final TransactionTemplate transaction;
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

    EstateImport(List<RowImporter> importers, InventoryStatistics statistics, TransactionTemplate transaction) {
        importers.forEach(importer -> this.importers.put(importer.file(), importer));
        if (this.importers.size() != File.values().length) {
            throw new IllegalStateException("every estate file needs its importer: " + this.importers.keySet());
        }
        this.statistics = statistics;
        this.transaction = transaction;
    }

    /** Runs the import; {@code files} maps a {@link File} to the CSV text (absent files are skipped). */
    public Report run(Map<File, String> files, boolean dryRun) {
        return run(files, dryRun, ImportProgress.Tracker.NONE);
    }

    /** Runs the import, reporting each checked row to {@code progress}. */
    Report run(Map<File, String> files, boolean dryRun, ImportProgress.Tracker progress) {
        List<Problem> problems = new ArrayList<>();
        Map<File, List<EstateCsv.Row>> rows = new LinkedHashMap<>();
        for (File file : File.values()) {
            if (files.containsKey(file) && files.get(file) != null && !files.get(file).isBlank()) {
                rows.put(file, EstateCsv.parse(file, files.get(file), problems));
            }
        }
        List<Change> changes = new ArrayList<>();
        int total = rows.values().stream().mapToInt(List::size).sum();
        progress.report(0, total, null, false);
        // with problems in the files, the rows that could be read are still checked (and rolled back): every
        // problem of the import shows in one round
        Boolean applied = transaction.execute(status -> {
            int done = 0;
            int analyzeAt = FIRST_ANALYZE;
            for (Map.Entry<File, List<EstateCsv.Row>> entry : rows.entrySet()) {
                for (EstateCsv.Row row : entry.getValue()) {
                    progress.report(done, total, row.file().fileName, false);
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
                        RowAction action = importers.get(row.file()).apply(row);
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
        progress.report(total, total, null, true);
        List<String> fileOrder = java.util.Arrays.stream(File.values()).map(f -> f.fileName).toList();
        problems.sort(java.util.Comparator.comparing((Problem p) -> fileOrder.indexOf(p.file()))
                .thenComparing(Problem::line));
        return new Report(dryRun, Boolean.TRUE.equals(applied), changes, problems);
    }
}
