package org.vfzone.inventory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.vfzone.system.RuleViolation;

/** Read models for lists and the dashboard, in one SQL query each so they stay fast at 10,000s of VMs. */
@Component
@Transactional(readOnly = true)
public class InventoryQueries {

    /** Fabrics on which each VM has a usable path: a WWPN pair and a VF on an adapter cabled there. */
    private static final String PATHS_CTE = """
            with paths as (
                select vf.vm_id, count(distinct a.fabric_id) as fabrics
                  from virtual_function vf
                  join adapter a on a.id = vf.adapter_id
                  join vm_fabric_identity i on i.vm_id = vf.vm_id and i.fabric_id = a.fabric_id
                 where vf.vm_id is not null
                 group by vf.vm_id)
            """;

    private final JdbcTemplate jdbc;

    InventoryQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record VmRow(long id, String name, String uuid, long hostId, String hostName, String cluster,
                        String wwnn, int pathFabrics) {
        public boolean singleFabricOnly() {
            return pathFabrics < 2;
        }
    }

    /** Fabrics on which one VM ({@code v.id}) has a usable path, for the rows actually shown. */
    private static final String PATH_FABRICS_OF_V = """
            (select count(distinct a.fabric_id)
               from virtual_function vf
               join adapter a on a.id = vf.adapter_id
               join vm_fabric_identity i on i.vm_id = vf.vm_id and i.fabric_id = a.fabric_id
              where vf.vm_id = v.id)""";

    private static final RowMapper<VmRow> VM_ROW = (rs, i) -> new VmRow(rs.getLong(1), rs.getString(2),
            rs.getString(3), rs.getLong(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8));

    /**
     * Which VMs a list shows: name, host or cluster containing {@code query}; only those without dual-fabric paths;
     * only those with a WWPN pair on one fabric, on one host, in one cluster (each filter off when null).
     */
    /** {@code onlyVmIds}: when not null, only these VMs (those granted one array, say). */
    public record VmFilter(String query, boolean onlyWithoutDualPaths, Long fabricId, Long hostId, String cluster,
                           Collection<Long> onlyVmIds) {

        public VmFilter(String query, boolean onlyWithoutDualPaths, Long fabricId, Long hostId, String cluster) {
            this(query, onlyWithoutDualPaths, fabricId, hostId, cluster, null);
        }

        public static VmFilter of(String query, boolean onlyWithoutDualPaths) {
            return new VmFilter(query, onlyWithoutDualPaths, null, null, null);
        }
    }

    /** The columns a VM list sorts by: name, host, cluster, wwnn (then by name, then id, for a stable order). */
    static final Map<String, String> VM_SORT = Map.of("name", "lower(v.name)", "host", "lower(h.name)",
            "cluster", "lower(coalesce(v.cluster, ''))", "wwnn", "v.wwnn");

    public Page<VmRow> vms(String query, boolean onlyWithoutDualPaths, Pageable pageable) {
        return vms(VmFilter.of(query, onlyWithoutDualPaths), pageable);
    }

    /**
     * VMs matching the filter, sorted by the pageable's sort (name by default); an unknown sort field is the
     * caller's field error. The page is chosen first, so paths are counted for its rows only.
     */
    public Page<VmRow> vms(VmFilter filter, Pageable pageable) {
        String q = "%" + (filter.query() == null ? "" : filter.query().strip().toLowerCase(Locale.ROOT)
                .replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")) + "%";
        String from = filter.onlyWithoutDualPaths()
                ? PATHS_CTE + " select %s from vm v join host h on h.id = v.host_id left join paths p on p.vm_id = v.id"
                : " select %s from vm v join host h on h.id = v.host_id";
        StringBuilder where = new StringBuilder(
                " where (lower(v.name) like ? or lower(h.name) like ? or lower(coalesce(v.cluster, '')) like ?)");
        List<Object> args = new ArrayList<>(List.of(q, q, q));
        if (filter.onlyWithoutDualPaths()) {
            where.append(" and coalesce(p.fabrics, 0) < 2");
        }
        if (filter.fabricId() != null) {
            where.append(" and exists (select 1 from vm_fabric_identity i where i.vm_id = v.id and i.fabric_id = ?)");
            args.add(filter.fabricId());
        }
        if (filter.hostId() != null) {
            where.append(" and v.host_id = ?");
            args.add(filter.hostId());
        }
        if (filter.onlyVmIds() != null) {
            where.append(" and v.id = any (?)");
            args.add(filter.onlyVmIds().toArray(Long[]::new));
        }
        if (filter.cluster() != null && !filter.cluster().isBlank()) {
            where.append(" and lower(v.cluster) = lower(?)");
            args.add(filter.cluster().strip());
        }
        StringBuilder order = new StringBuilder();
        for (Sort.Order o : pageable.getSort()) {
            String column = VM_SORT.get(o.getProperty());
            if (column == null) {
                throw RuleViolation.invalid("sort", "sorts by name, host, cluster or wwnn, not "
                        + o.getProperty());
            }
            order.append(column).append(o.isAscending() ? " asc" : " desc").append(", ");
        }
        String orderBy = order + "lower(v.name), v.id";
        Long total = jdbc.queryForObject(from.formatted("count(*)") + where, Long.class, args.toArray());
        // the outer query re-sorts the page's rows, so it orders by the same expressions over the page's columns
        String outerOrder = orderBy.replace("lower(h.name)", "lower(v.host_name)");
        List<Object> pageArgs = new ArrayList<>(args);
        pageArgs.add(pageable.getPageSize());
        pageArgs.add(pageable.getOffset());
        List<VmRow> rows = jdbc.query("select v.id, v.name, v.uuid, v.host_id, v.host_name, v.cluster, v.wwnn, "
                + PATH_FABRICS_OF_V + " from (" + from.formatted("v.id, v.name, v.uuid, h.id as host_id, h.name as "
                + "host_name, v.cluster, v.wwnn") + where + " order by " + orderBy + " limit ? offset ?) v order by "
                + outerOrder, VM_ROW, pageArgs.toArray());
        return new PageImpl<>(rows, pageable, total == null ? 0 : total);
    }

    public List<VmRow> vmsOnHost(long hostId) {
        return jdbc.query("select v.id, v.name, v.uuid, h.id, h.name, v.cluster, v.wwnn, " + PATH_FABRICS_OF_V
                + " from vm v join host h on h.id = v.host_id where h.id = ? order by lower(v.name)", VM_ROW, hostId);
    }

    public record Counts(long fabrics, long hosts, long adapters, long vfs, long freeVfs, long vms,
                         long vmsWithoutDualPaths, long arrays, long targetPorts) {
    }

    public Counts counts() {
        return jdbc.queryForObject(PATHS_CTE + """
                select (select count(*) from fabric), (select count(*) from host), (select count(*) from adapter),
                       (select count(*) from virtual_function),
                       (select count(*) from virtual_function where vm_id is null),
                       (select count(*) from vm),
                       (select count(*) from vm v left join paths p on p.vm_id = v.id where coalesce(p.fabrics, 0) < 2),
                       (select count(*) from storage_array), (select count(*) from target_port)
                """, (rs, i) -> new Counts(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9)));
    }

    public record HostVfUsage(long hostId, String hostName, String cluster, long vfs, long freeVfs, long vms) {
    }

    /** Free VFs per host, fewest free first: the hosts where the next VM will not fit. */
    public List<HostVfUsage> vfUsagePerHost(int limit) {
        return jdbc.query("""
                select h.id, h.name, h.cluster,
                       count(vf.id), count(vf.id) filter (where vf.vm_id is null),
                       (select count(*) from vm where vm.host_id = h.id)
                  from host h
                  left join adapter a on a.host_id = h.id
                  left join virtual_function vf on vf.adapter_id = a.id
                 group by h.id, h.name, h.cluster
                 order by count(vf.id) filter (where vf.vm_id is null), lower(h.name)
                 limit ?
                """, (rs, i) -> new HostVfUsage(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                rs.getLong(5), rs.getLong(6)), limit);
    }
}
