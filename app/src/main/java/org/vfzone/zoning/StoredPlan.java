package org.vfzone.zoning;

import java.util.List;
import java.util.Map;

/** What a change set carries besides its columns: the plan, and what review and export show. */
public record StoredPlan(ZonePlanner.Plan plan, List<String> preview, List<String> cliScript,
                         List<String> switchLog, Long undoOf, Map<Long, String> scopeVmNames,
                         Map<Long, String> scopeArrayNames) {

    public StoredPlan(ZonePlanner.Plan plan, List<String> preview, List<String> cliScript,
                      List<String> switchLog) {
        this(plan, preview, cliScript, switchLog, null, null, null);
    }

    public StoredPlan(ZonePlanner.Plan plan, List<String> preview, List<String> cliScript,
                      List<String> switchLog, Long undoOf) {
        this(plan, preview, cliScript, switchLog, undoOf, null, null);
    }

    /** The same plan, remembering the names its scope had when planned (the VMs may be deleted later). */
    StoredPlan named(Map<Long, String> vms, Map<Long, String> arrays) {
        return new StoredPlan(plan, preview, cliScript, switchLog, undoOf, Map.copyOf(vms), Map.copyOf(arrays));
    }
}
