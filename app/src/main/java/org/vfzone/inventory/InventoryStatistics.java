package org.vfzone.inventory;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.vfzone.wwn.WwnRegistry;

/**
 * Refreshes the planner statistics of the inventory's tables (and the WWN registry they fill) in the middle of a
 * bulk load: a young database's statistics say the tables are empty, and the planner then scans a whole table for
 * every name lookup. ANALYZE inside the loading transaction counts its own new rows.
 */
@Component
public class InventoryStatistics {

    private final JdbcTemplate jdbc;
    private final WwnRegistry wwnRegistry;

    InventoryStatistics(JdbcTemplate jdbc, WwnRegistry wwnRegistry) {
        this.jdbc = jdbc;
        this.wwnRegistry = wwnRegistry;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void refresh() {
        jdbc.execute("analyze host, adapter, virtual_function, vm, vm_fabric_identity, storage_array, target_port");
        wwnRegistry.refreshStatistics();
    }
}
