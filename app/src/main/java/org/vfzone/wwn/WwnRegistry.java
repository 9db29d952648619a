package org.vfzone.wwn;

import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.vfzone.system.RuleViolation;

/**
 * Reads the database's WWN registry (kept by triggers on every table that holds a WWN) to tell an admin where a
 * WWN is already used. The registry's primary key is what actually guarantees uniqueness.
 */
@Component
public class WwnRegistry {

    private static final String USAGE_SQL = """
            select r.owner_table, r.owner_column, r.owner_id,
                   case r.owner_column
                       when 'wwnn' then 'WWNN'
                       when 'wwpn' then 'WWPN'
                       when 'active_wwpn' then 'active WWPN'
                       when 'standby_wwpn' then 'standby WWPN'
                   end || ' of ' ||
                   case r.owner_table
                       when 'adapter' then (select 'adapter ' || a.pci_address || ' on host ' || h.name
                                              from adapter a join host h on h.id = a.host_id where a.id = r.owner_id)
                       when 'vm' then (select 'VM ' || v.name from vm v where v.id = r.owner_id)
                       when 'vm_fabric_identity' then (select 'VM ' || v.name || ' on fabric ' || f.name
                                              from vm_fabric_identity i join vm v on v.id = i.vm_id
                                              join fabric f on f.id = i.fabric_id where i.id = r.owner_id)
                       when 'target_port' then (select 'target port ' || t.name || ' of array ' || s.name
                                              from target_port t join storage_array s on s.id = t.array_id
                                              where t.id = r.owner_id)
                   end as description
              from wwn_registry r
             where r.wwn = ?
            """;

    private final JdbcTemplate jdbc;

    WwnRegistry(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<WwnUsage> findUsage(Wwn wwn) {
        return jdbc.query(USAGE_SQL, (rs, row) -> new WwnUsage(rs.getString(1), rs.getString(2), rs.getLong(3),
                rs.getString(4)), wwn.toString()).stream().findFirst();
    }

    /**
     * Refuses a WWN that something else already uses, naming where. The owner arguments identify the column of
     * the object being saved, which may keep its own WWN.
     */
    public void requireUnused(Wwn wwn, String field, String ownerTable, String ownerColumn, Long ownerId) {
        findUsage(wwn).filter(usage -> !usage.isOwnedBy(ownerTable, ownerColumn, ownerId)).ifPresent(usage -> {
            throw RuleViolation.conflict(field, wwn + " is already used as the " + usage.description());
        });
    }
}
