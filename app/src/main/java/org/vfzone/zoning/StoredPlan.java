package org.vfzone.zoning;

import java.util.List;
import java.util.Map;

/**
 * What a change set carries besides its columns: the plan, and what review and export show.
 *
 * @param databaseUse the switch's zone database use when planned, and vfzone's estimate after the change; null
 *                    where the switch does not report it
 */
public record StoredPlan(ZonePlanner.Plan plan, List<String> preview, List<String> cliScript,
                         List<String> switchLog, Long undoOf, Map<Long, String> scopeVmNames,
                         Map<Long, String> scopeArrayNames, DatabaseUse databaseUse) {

    /** Bytes in use and the maximum as the switch said when planned, and about how many after the change. */
    public record DatabaseUse(long usedBytes, long maxBytes, long estimatedAfterBytes) {
        public double percent() {
            return maxBytes <= 0 ? 0 : 100.0 * usedBytes / maxBytes;
        }

        public double percentAfter() {
            return maxBytes <= 0 ? 0 : 100.0 * estimatedAfterBytes / maxBytes;
        }
    }

    public StoredPlan(ZonePlanner.Plan plan, List<String> preview, List<String> cliScript,
                      List<String> switchLog) {
        this(plan, preview, cliScript, switchLog, null, null, null, null);
    }

    public StoredPlan(ZonePlanner.Plan plan, List<String> preview, List<String> cliScript,
                      List<String> switchLog, Long undoOf) {
        this(plan, preview, cliScript, switchLog, undoOf, null, null, null);
    }

    public StoredPlan(ZonePlanner.Plan plan, List<String> preview, List<String> cliScript,
                      List<String> switchLog, Long undoOf, Map<Long, String> scopeVmNames,
                      Map<Long, String> scopeArrayNames) {
        this(plan, preview, cliScript, switchLog, undoOf, scopeVmNames, scopeArrayNames, null);
    }

    /** The same plan, remembering the names its scope had when planned (the VMs may be deleted later). */
    StoredPlan named(Map<Long, String> vms, Map<Long, String> arrays) {
        return new StoredPlan(plan, preview, cliScript, switchLog, undoOf, Map.copyOf(vms), Map.copyOf(arrays),
                databaseUse);
    }

    /** The same plan with the zone database's use. */
    StoredPlan using(DatabaseUse use) {
        return new StoredPlan(plan, preview, cliScript, switchLog, undoOf, scopeVmNames, scopeArrayNames, use);
    }
}
