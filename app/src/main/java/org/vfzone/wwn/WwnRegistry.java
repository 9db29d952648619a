package org.vfzone.wwn;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.vfzone.system.RuleViolation;

/**
 * Reads the database's WWN registry (kept by triggers on every table that holds a WWN) to tell an admin where a
 * WWN is already used. The registry's primary key is what actually guarantees uniqueness.
 */
@Component
public class WwnRegistry {

    private final JdbcTemplate jdbc;
    private final WwnOwnerNames ownerNames;

    WwnRegistry(JdbcTemplate jdbc, WwnOwnerNames ownerNames) {
        this.jdbc = jdbc;
        this.ownerNames = ownerNames;
    }

    public Optional<WwnUsage> findUsage(Wwn wwn) {
        return Optional.ofNullable(findUsages(List.of(wwn.toString())).get(wwn.toString()));
    }

    /** Where each of these WWNs (canonical text) is used, for those that are; one query per owner table. */
    public Map<String, WwnUsage> findUsages(Collection<String> wwns) {
        record Row(String wwn, String table, String column, long id) {
        }
        Map<String, WwnUsage> usages = new HashMap<>();
        if (wwns.isEmpty()) {
            return usages;
        }
        List<Row> rows = jdbc.query("""
                select wwn, owner_table, owner_column, owner_id from wwn_registry where wwn = any (?::varchar[])
                """, (rs, n) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)),
                (Object) wwns.toArray(String[]::new));
        Map<String, List<Row>> byTable = rows.stream()
                .collect(Collectors.groupingBy(Row::table));
        byTable.forEach((table, owned) -> {
            Map<Long, String> names = ownerNames.describe(table, owned.stream().map(Row::id).toList());
            for (Row row : owned) {
                String owner = names.getOrDefault(row.id(), table + " " + row.id());
                usages.put(row.wwn(), new WwnUsage(table, row.column(), row.id(),
                        columnLabel(row.column()) + " of " + owner));
            }
        });
        return usages;
    }

    private static String columnLabel(String column) {
        return switch (column) {
            case "wwnn" -> "WWNN";
            case "wwpn" -> "WWPN";
            case "active_wwpn" -> "active WWPN";
            case "standby_wwpn" -> "standby WWPN";
            default -> column;
        };
    }

    /** Of these WWNs (as 64-bit values), the ones some port uses: an adapter, a VM's pair or a target port. */
    public Set<Long> portWwnsAmong(Collection<Long> wwns) {
        String[] text = wwns.stream().map(w -> new Wwn(w).toString()).toArray(String[]::new);
        return new HashSet<>(jdbc.queryForList("""
                select wwn_to_int8(wwn) from wwn_registry
                 where wwn = any (?::varchar[]) and owner_column in ('wwpn', 'active_wwpn', 'standby_wwpn')
                """, Long.class, (Object) text));
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
