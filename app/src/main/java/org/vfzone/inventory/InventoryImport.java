package org.vfzone.inventory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import javax.sql.DataSource;

import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.vfzone.audit.AuditLog;
import org.vfzone.system.CopyRows;
import org.vfzone.wwn.Wwn;
import org.vfzone.wwn.WwnRegistry;
import org.vfzone.wwn.WwnUsage;

/**
 * Applies an imported estate set by set: each kind of row is copied into a temporary table, every rule the
 * inventory services enforce one row at a time is one statement marking the rows that break it (with the field at
 * fault and the reason), and the rows that pass are inserted and updated with a few statements, audited as the
 * services audit. The caller's transaction holds it all, so a dry run is the same work rolled back.
 *
 * <p>Rows are checked against what is stored when their kind is applied, kinds in the order of the calls, so a row
 * may name a host, adapter or VM an earlier call created. A row that breaks a rule is not applied, and rows that
 * depend on it then fail as naming something that does not exist. The caller checks what needs no stored state
 * (formats, limits within a row, duplicates and WWNs used twice within the import).
 */
@Component
public class InventoryImport {

    public enum Action { CREATE, UPDATE, UNCHANGED }

    /** What became of one row: what it did to the stored estate, or the field at fault and why it was refused. */
    public record Outcome(int line, Action action, String field, String problem) {
    }

    public record HostRow(int line, String name, String cluster, Hypervisor hypervisor) {
    }

    public record AdapterRow(int line, String host, String pciAddress, AdapterKind kind, String vendor, String model,
                             Wwn wwnn, Wwn wwpn, String fabric, int maxVfs, int maxNpivVports, Integer enabledVfs) {
    }

    /** A target port and the array it belongs to; rows of one array must describe it alike. */
    public record ArrayPortRow(int line, String array, String vendor, String model, String serial, String port,
                               Wwn wwpn, String fabric) {
    }

    /** A VM; a null UUID keeps the stored one (or generates one), a null WWNN keeps the stored one. */
    public record VmRow(int line, String name, UUID uuid, String host, String cluster, Wwn wwnn) {
    }

    public record VmWwpnRow(int line, String vm, String fabric, Wwn active, Wwn standby) {
    }

    public record VfRow(int line, String host, String pciAddress, int vfIndex, String vm) {
    }

    private static final String HOST_UNKNOWN =
            "'host ' || s.host || ' does not exist (neither stored nor in hosts.csv)'";
    private static final String FABRIC_UNKNOWN = "'fabric ' || s.fabric || ' does not exist; create the fabrics first'";
    private static final String VM_UNKNOWN = "'VM ' || s.vm || ' does not exist'";

    private final JdbcTemplate jdbc;
    private final DataSource dataSource;
    private final WwnRegistry wwnRegistry;
    private final AuditLog audit;

    InventoryImport(JdbcTemplate jdbc, DataSource dataSource, WwnRegistry wwnRegistry, AuditLog audit) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        this.wwnRegistry = wwnRegistry;
        this.audit = audit;
    }

    /** Hosts by name: created, or their cluster and hypervisor updated. */
    @Transactional(propagation = Propagation.MANDATORY)
    public List<Outcome> hosts(List<HostRow> rows) {
        String stage = stage("import_host", "name text, cluster text, hypervisor text, host_id bigint", rows,
                r -> new Object[] {r.line(), r.name(), r.cluster(), r.hypervisor()});
        jdbc.update("update import_host s set host_id = h.id from host h where upper(h.name) = upper(s.name)");
        jdbc.update("""
                update import_host s set action = case when h.id is null then 'CREATE'
                           when h.cluster is not distinct from s.cluster and h.hypervisor = s.hypervisor
                                then 'UNCHANGED'
                           else 'UPDATE' end
                  from import_host t left join host h on h.id = t.host_id where t.line = s.line""");
        List<AuditLog.Change> changes = new ArrayList<>();
        jdbc.query("""
                select h.id, h.name, h.cluster, h.hypervisor, s.cluster, s.hypervisor
                  from import_host s join host h on h.id = s.host_id where s.action = 'UPDATE' order by s.line""",
                rs -> {
                    changes.add(new AuditLog.Change("UPDATE", "host", rs.getLong(1), "Changed host " + rs.getString(2),
                            new HostForm(rs.getString(2), rs.getString(3), Hypervisor.valueOf(rs.getString(4))),
                            new HostForm(rs.getString(2), rs.getString(5), Hypervisor.valueOf(rs.getString(6)))));
                });
        jdbc.update("""
                update host h set cluster = s.cluster, hypervisor = s.hypervisor, version = h.version + 1
                  from import_host s where s.host_id = h.id and s.action = 'UPDATE'""");
        jdbc.query("""
                insert into host (name, cluster, hypervisor)
                select name, cluster, hypervisor from import_host where action = 'CREATE' order by line
                returning id, name, cluster, hypervisor""", rs -> {
            changes.add(new AuditLog.Change("CREATE", "host", rs.getLong(1), "Created host " + rs.getString(2), null,
                    new HostForm(rs.getString(2), rs.getString(3), Hypervisor.valueOf(rs.getString(4)))));
        });
        audit.changes(changes);
        return outcomes(stage);
    }

    /** Adapters by host and PCI address, with the VFs they should enable at least. */
    @Transactional(propagation = Propagation.MANDATORY)
    public List<Outcome> adapters(List<AdapterRow> rows) {
        String stage = stage("import_adapter", """
                host text, pci text, kind text, vendor text, model text, wwnn text, wwpn text, fabric text,
                max_vfs int, max_npiv int, enabled_vfs int, host_id bigint, host_name text, fabric_id bigint,
                adapter_id bigint""", rows,
                r -> new Object[] {r.line(), r.host(), r.pciAddress(), r.kind(), r.vendor(), r.model(), r.wwnn(),
                        r.wwpn(), r.fabric(), r.maxVfs(), r.maxNpivVports(), r.enabledVfs()});
        resolveHosts(stage);
        resolveFabrics(stage);
        jdbc.update("""
                update import_adapter s set adapter_id = a.id
                  from adapter a where a.host_id = s.host_id and a.pci_address = s.pci""");
        check(stage, "maxVfs", "'the adapter has ' || v.enabled || ' VFs enabled (highest index ' || v.highest "
                + "|| '); disable VFs before lowering the maximum'", """
                (select f.adapter_id, count(*) as enabled, max(f.vf_index) as highest
                   from virtual_function f join import_adapter i on i.adapter_id = f.adapter_id
                  group by f.adapter_id) v""", "v.adapter_id = s.adapter_id and s.max_vfs <= v.highest");
        check(stage, "fabricId",
                "'the adapter has VFs assigned to VMs; unassign them before recabling it to another fabric'",
                "adapter a", """
                a.id = s.adapter_id and a.fabric_id is distinct from s.fabric_id
                and exists (select 1 from virtual_function f where f.adapter_id = a.id and f.vm_id is not null)""");
        requireUnused(stage, "wwnn", "wwnn", "adapter", "wwnn", "adapter_id", "true");
        requireUnused(stage, "wwpn", "wwpn", "adapter", "wwpn", "adapter_id", "true");
        jdbc.update("""
                update import_adapter s set action = case when a.id is null then 'CREATE'
                           when (a.kind, a.vendor, a.model, a.wwnn, a.wwpn, a.max_vfs, a.max_npiv_vports)
                                = (s.kind, s.vendor, s.model, s.wwnn, s.wwpn, s.max_vfs, s.max_npiv)
                                and a.fabric_id is not distinct from s.fabric_id then 'UNCHANGED'
                           else 'UPDATE' end
                  from import_adapter t left join adapter a on a.id = t.adapter_id
                 where t.line = s.line and s.problem is null""");
        List<AuditLog.Change> changes = new ArrayList<>();
        jdbc.query("""
                select a.id, a.kind, a.vendor, a.model, a.pci_address, a.wwnn, a.wwpn, a.fabric_id, a.max_vfs,
                       a.max_npiv_vports, s.kind, s.vendor, s.model, s.pci, s.wwnn, s.wwpn, s.fabric_id, s.max_vfs,
                       s.max_npiv
                  from import_adapter s join adapter a on a.id = s.adapter_id
                 where s.action = 'UPDATE' order by s.line""", rs -> {
            AdapterForm after = adapterForm(rs, 11);
            changes.add(new AuditLog.Change("UPDATE", "adapter", rs.getLong(1), "Changed adapter " + after.vendor()
                    + " " + after.model() + " @ " + after.pciAddress(), adapterForm(rs, 2), after));
        });
        jdbc.update("""
                update adapter a set kind = s.kind, vendor = s.vendor, model = s.model, wwnn = s.wwnn, wwpn = s.wwpn,
                       fabric_id = s.fabric_id, max_vfs = s.max_vfs, max_npiv_vports = s.max_npiv,
                       version = a.version + 1
                  from import_adapter s where s.adapter_id = a.id and s.action = 'UPDATE'""");
        Map<Long, String> hostNames = new HashMap<>();
        jdbc.query("select distinct host_id, host_name from import_adapter where action = 'CREATE'",
                rs -> {
                    hostNames.put(rs.getLong(1), rs.getString(2));
                });
        jdbc.query("""
                insert into adapter (host_id, kind, vendor, model, pci_address, wwnn, wwpn, fabric_id, max_vfs,
                                     max_npiv_vports)
                select host_id, kind, vendor, model, pci, wwnn, wwpn, fabric_id, max_vfs, max_npiv
                  from import_adapter where action = 'CREATE' order by line
                returning id, kind, vendor, model, pci_address, wwnn, wwpn, fabric_id, max_vfs, max_npiv_vports,
                          host_id""", rs -> {
            AdapterForm after = adapterForm(rs, 2);
            changes.add(new AuditLog.Change("CREATE", "adapter", rs.getLong(1), "Added adapter " + after.vendor() + " "
                    + after.model() + " @ " + after.pciAddress() + " to host " + hostNames.get(rs.getLong(11)), null,
                    after));
        });
        audit.changes(changes);
        jdbc.update("""
                update import_adapter s set adapter_id = a.id
                  from adapter a where s.adapter_id is null and s.action = 'CREATE'
                   and a.host_id = s.host_id and a.pci_address = s.pci""");
        Map<Long, Integer> enable = new HashMap<>();
        jdbc.query("select adapter_id, enabled_vfs from import_adapter where action is not null and enabled_vfs > 0",
                rs -> {
                    enable.merge(rs.getLong(1), rs.getInt(2), Math::max);
                });
        Set<Long> enabled = enableVfs(enable);
        if (!enabled.isEmpty()) {
            jdbc.update("update import_adapter set action = 'UPDATE' "
                    + "where action = 'UNCHANGED' and adapter_id = any (?)",
                    (Object) enabled.toArray(Long[]::new));
        }
        return outcomes(stage);
    }

    /** Storage arrays by name and their target ports by array and port name. */
    @Transactional(propagation = Propagation.MANDATORY)
    public List<Outcome> arrayPorts(List<ArrayPortRow> rows) {
        String stage = stage("import_port", """
                array_name text, vendor text, model text, serial text, port text, wwpn text, fabric text,
                array_id bigint, fabric_id bigint, port_id bigint, array_line int, array_action text""", rows,
                r -> new Object[] {r.line(), r.array(), r.vendor(), r.model(), r.serial(), r.port(), r.wwpn(),
                        r.fabric()});
        check(stage, "vendor", "'array ' || s.array_name || ' is described differently on line ' || f.line "
                + "|| ' (its vendor, model and serial must be the same on each of its rows)'", """
                (select distinct on (upper(array_name)) line, array_name, vendor, model, serial from import_port
                  order by upper(array_name), line) f""", """
                upper(f.array_name) = upper(s.array_name) and f.line < s.line
                and (f.vendor, f.model, f.serial) is distinct from (s.vendor, s.model, s.serial)""");
        resolveFabrics(stage);
        jdbc.update("""
                update import_port s set array_id = a.id
                  from storage_array a where upper(a.name) = upper(s.array_name)""");
        jdbc.update("""
                update import_port s set port_id = p.id
                  from target_port p where p.array_id = s.array_id and upper(p.name) = upper(s.port)""");
        requireUnused(stage, "wwpn", "wwpn", "target_port", "wwpn", "port_id", "true");
        // an array is created or updated by the first of its rows that passed; its other rows find it done
        jdbc.update("""
                update import_port s set array_line = f.line, array_action = case
                           when a.id is null then 'CREATE'
                           when (a.vendor, a.model, a.serial) is not distinct from (s.vendor, s.model, s.serial)
                                then 'UNCHANGED'
                           else 'UPDATE' end
                  from (select distinct on (upper(array_name)) line, array_name from import_port where problem is null
                         order by upper(array_name), line) f
                  left join storage_array a on upper(a.name) = upper(f.array_name)
                 where upper(f.array_name) = upper(s.array_name) and s.problem is null""");
        List<AuditLog.Change> changes = new ArrayList<>();
        jdbc.query("""
                select a.id, a.name, a.vendor, a.model, a.serial, s.vendor, s.model, s.serial
                  from import_port s join storage_array a on a.id = s.array_id
                 where s.line = s.array_line and s.array_action = 'UPDATE' order by s.line""", rs -> {
            changes.add(new AuditLog.Change("UPDATE", "array", rs.getLong(1), "Changed storage array "
                    + rs.getString(2), new StorageArrayForm(rs.getString(2), rs.getString(3), rs.getString(4),
                    rs.getString(5)), new StorageArrayForm(rs.getString(2), rs.getString(6), rs.getString(7),
                    rs.getString(8))));
        });
        jdbc.update("""
                update storage_array a set vendor = s.vendor, model = s.model, serial = s.serial,
                       version = a.version + 1
                  from import_port s
                 where s.array_id = a.id and s.line = s.array_line and s.array_action = 'UPDATE'""");
        jdbc.query("""
                insert into storage_array (name, vendor, model, serial)
                select array_name, vendor, model, serial from import_port
                 where line = array_line and array_action = 'CREATE' order by line
                returning id, name, vendor, model, serial""", rs -> {
            changes.add(new AuditLog.Change("CREATE", "array", rs.getLong(1), "Created storage array "
                    + rs.getString(2), null, new StorageArrayForm(rs.getString(2), rs.getString(3), rs.getString(4),
                    rs.getString(5))));
        });
        jdbc.update("""
                update import_port s set array_id = a.id
                  from storage_array a where s.array_id is null and s.problem is null
                   and upper(a.name) = upper(s.array_name)""");
        jdbc.update("""
                update import_port s set action = case
                           when s.port_id is null then
                                case when s.line = s.array_line and s.array_action = 'UPDATE' then 'UPDATE'
                                     else 'CREATE' end
                           when p.wwpn <> s.wwpn or p.fabric_id <> s.fabric_id then 'UPDATE'
                           when s.line = s.array_line then s.array_action
                           else 'UNCHANGED' end
                  from import_port t left join target_port p on p.id = t.port_id
                 where t.line = s.line and s.problem is null""");
        jdbc.query("""
                select s.array_id, p.name, s.wwpn, s.fabric_id
                  from import_port s join target_port p on p.id = s.port_id
                 where (p.wwpn <> s.wwpn or p.fabric_id <> s.fabric_id) and s.problem is null order by s.line""",
                rs -> {
                    changes.add(new AuditLog.Change("UPDATE_PORT", "array", rs.getLong(1), "Changed target port "
                            + rs.getString(2), null, new TargetPortForm(rs.getString(2), rs.getString(3),
                            rs.getLong(4))));
                });
        jdbc.update("""
                update target_port p set wwpn = s.wwpn, fabric_id = s.fabric_id, version = p.version + 1
                  from import_port s where s.port_id = p.id and s.problem is null
                   and (p.wwpn <> s.wwpn or p.fabric_id <> s.fabric_id)""");
        Map<Long, String> arrayNames = new HashMap<>();
        jdbc.query("""
                select distinct a.id, a.name from import_port s join storage_array a on a.id = s.array_id
                 where s.port_id is null and s.problem is null""", rs -> {
            arrayNames.put(rs.getLong(1), rs.getString(2));
        });
        jdbc.query("""
                insert into target_port (array_id, name, wwpn, fabric_id)
                select array_id, port, wwpn, fabric_id from import_port
                 where port_id is null and problem is null order by line
                returning array_id, name, wwpn, fabric_id""", rs -> {
            changes.add(new AuditLog.Change("ADD_PORT", "array", rs.getLong(1), "Added target port " + rs.getString(2)
                    + " (" + rs.getString(3) + ") to array " + arrayNames.get(rs.getLong(1)), null,
                    new TargetPortForm(rs.getString(2), rs.getString(3), rs.getLong(4))));
        });
        audit.changes(changes);
        return outcomes(stage);
    }

    /** VMs by name on stored hosts, keeping a WWNN they already have; a VM moved to another host frees its VFs. */
    @Transactional(propagation = Propagation.MANDATORY)
    public List<Outcome> vms(List<VmRow> rows) {
        String stage = stage("import_vm", """
                name text, uuid uuid, host text, cluster text, wwnn text, host_id bigint, host_name text,
                vm_id bigint, new_wwnn boolean""", rows,
                r -> new Object[] {r.line(), r.name(), r.uuid(), r.host(), r.cluster(), r.wwnn()});
        resolveHosts(stage);
        jdbc.update("update import_vm s set vm_id = v.id from vm v where upper(v.name) = upper(s.name)");
        check(stage, "uuid", "'another VM already has UUID ' || s.uuid", "vm v",
                "v.uuid = s.uuid and v.id is distinct from s.vm_id");
        jdbc.update("""
                update import_vm s set new_wwnn = s.wwnn is not null and s.wwnn is distinct from v.wwnn
                  from import_vm t left join vm v on v.id = t.vm_id where t.line = s.line""");
        requireUnused(stage, "wwnn", "wwnn", "vm", "wwnn", "vm_id", "s.new_wwnn");
        jdbc.update("""
                update import_vm s set action = case when v.id is null then 'CREATE'
                           when (v.uuid, v.host_id) = (coalesce(s.uuid, v.uuid), s.host_id)
                                and v.cluster is not distinct from coalesce(s.cluster, v.cluster)
                                and not s.new_wwnn then 'UNCHANGED'
                           else 'UPDATE' end
                  from import_vm t left join vm v on v.id = t.vm_id where t.line = s.line and s.problem is null""");
        List<AuditLog.Change> changes = new ArrayList<>();
        jdbc.query("""
                select v.id, v.name, v.uuid, v.host_id, v.cluster, coalesce(s.uuid, v.uuid), s.host_id,
                       coalesce(s.cluster, v.cluster)
                  from import_vm s join vm v on v.id = s.vm_id
                 where s.action = 'UPDATE' and ((v.uuid, v.host_id) <> (coalesce(s.uuid, v.uuid), s.host_id)
                       or v.cluster is distinct from coalesce(s.cluster, v.cluster))
                 order by s.line""", rs -> {
            String name = rs.getString(2);
            changes.add(new AuditLog.Change("UPDATE", "vm", rs.getLong(1), "Changed VM " + name,
                    new VmForm(name, rs.getString(3), rs.getLong(4), rs.getString(5)),
                    new VmForm(name, rs.getString(6), rs.getLong(7), rs.getString(8))));
        });
        // a VM only uses VFs of the host it runs on
        jdbc.update("""
                update virtual_function f set vm_id = null, version = f.version + 1
                  from import_vm s join vm v on v.id = s.vm_id
                 where f.vm_id = v.id and s.action = 'UPDATE' and v.host_id <> s.host_id""");
        jdbc.update("""
                update vm v set uuid = coalesce(s.uuid, v.uuid), host_id = s.host_id,
                       cluster = coalesce(s.cluster, v.cluster),
                       wwnn = case when s.new_wwnn then s.wwnn else v.wwnn end,
                       version = v.version + 1
                  from import_vm s where s.vm_id = v.id and s.action = 'UPDATE'""");
        jdbc.query("""
                insert into vm (name, uuid, host_id, cluster, wwnn)
                select s.name, coalesce(s.uuid, gen_random_uuid()), s.host_id, coalesce(s.cluster, h.cluster), s.wwnn
                  from import_vm s join host h on h.id = s.host_id where s.action = 'CREATE' order by s.line
                returning id, name, uuid, host_id, cluster""", rs -> {
            changes.add(new AuditLog.Change("CREATE", "vm", rs.getLong(1), "Created VM " + rs.getString(2), null,
                    new VmForm(rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5))));
        });
        jdbc.query("""
                select v.id, v.name, v.wwnn from import_vm s join vm v on upper(v.name) = upper(s.name)
                 where s.new_wwnn and s.action is not null order by s.line""", rs -> {
            changes.add(new AuditLog.Change("KEEP_WWNN", "vm", rs.getLong(1), "Recorded existing WWNN "
                    + rs.getString(3) + " of VM " + rs.getString(2), null, rs.getString(3)));
        });
        audit.changes(changes);
        return outcomes(stage);
    }

    /** The WWPN pairs VMs already use on a fabric, kept as they are. */
    @Transactional(propagation = Propagation.MANDATORY)
    public List<Outcome> vmWwpns(List<VmWwpnRow> rows) {
        String stage = stage("import_vm_wwpn", """
                vm text, fabric text, active text, standby text, vm_id bigint, vm_name text, fabric_id bigint,
                fabric_name text, stored_active text, stored_standby text""", rows,
                r -> new Object[] {r.line(), r.vm(), r.fabric(), r.active(), r.standby()});
        jdbc.update("""
                update import_vm_wwpn s set vm_id = v.id, vm_name = v.name
                  from vm v where upper(v.name) = upper(s.vm)""");
        check(stage, "vm", VM_UNKNOWN, null, "s.vm_id is null");
        resolveFabrics(stage);
        jdbc.update("update import_vm_wwpn s set fabric_name = f.name from fabric f where f.id = s.fabric_id");
        jdbc.update("""
                update import_vm_wwpn s set stored_active = i.active_wwpn, stored_standby = i.standby_wwpn
                  from vm_fabric_identity i where i.vm_id = s.vm_id and i.fabric_id = s.fabric_id""");
        jdbc.update("""
                update import_vm_wwpn s set action = 'UNCHANGED'
                 where s.problem is null and (s.stored_active, s.stored_standby) = (s.active, s.standby)""");
        check(stage, "activeWwpn", "'VM ' || s.vm_name || ' already has the pair ' || s.stored_active || ' / ' "
                + "|| s.stored_standby || ' on fabric ' || s.fabric_name || '; release it before recording another'",
                null, "s.action is null and s.stored_active is not null");
        requireUnused(stage, "active", "activeWwpn", "vm_fabric_identity", "active_wwpn", null, "s.action is null");
        requireUnused(stage, "standby", "standbyWwpn", "vm_fabric_identity", "standby_wwpn", null,
                "s.action is null");
        jdbc.update("update import_vm_wwpn set action = 'CREATE' where action is null and problem is null");
        CopyRows identities = new CopyRows();
        List<AuditLog.Change> changes = new ArrayList<>();
        jdbc.query("""
                select vm_id, fabric_id, active, standby, vm_name, fabric_name from import_vm_wwpn
                 where action = 'CREATE' order by line""", rs -> {
            identities.row(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4));
            changes.add(new AuditLog.Change("KEEP_WWPNS", "vm", rs.getLong(1), "Recorded existing WWPN pair "
                    + rs.getString(3) + " / " + rs.getString(4) + " of VM " + rs.getString(5) + " on fabric "
                    + rs.getString(6), null, List.of(rs.getString(3), rs.getString(4))));
        });
        identities.into(dataSource, "vm_fabric_identity (vm_id, fabric_id, active_wwpn, standby_wwpn)");
        audit.changes(changes);
        return outcomes(stage);
    }

    /**
     * Which VF of which adapter each VM uses. A VF the adapter does not enable yet is enabled, with those below
     * it; the VF must be free, of the VM's host, and its adapter within its NPIV login limit, counting the rows
     * before it.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public List<Outcome> vfs(List<VfRow> rows) {
        String stage = stage("import_vf", """
                host text, pci text, vf_index int, vm text, host_id bigint, host_name text, adapter_id bigint,
                max_vfs int, max_npiv int, adapter_label text, vm_id bigint, vm_name text, vm_host_name text,
                vf_id bigint, vf_pci text, vf_vm_name text""", rows,
                r -> new Object[] {r.line(), r.host(), r.pciAddress(), r.vfIndex(), r.vm()});
        resolveHosts(stage);
        jdbc.update("""
                update import_vf s set adapter_id = a.id, max_vfs = a.max_vfs, max_npiv = a.max_npiv_vports,
                       adapter_label = a.vendor || ' ' || a.model || ' @ ' || a.pci_address
                  from adapter a where a.host_id = s.host_id and a.pci_address = s.pci""");
        check(stage, "pciAddress", "'host ' || s.host_name || ' has no adapter at ' || s.pci", null,
                "s.adapter_id is null");
        check(stage, "vfIndex", "'VF ' || s.vf_index || ' is over the adapter''s limit of ' || s.max_vfs || ' VFs'",
                null, "s.vf_index < 0 or s.vf_index >= s.max_vfs");
        jdbc.update("""
                update import_vf s set vm_id = v.id, vm_name = v.name, vm_host_name = h.name
                  from vm v join host h on h.id = v.host_id where upper(v.name) = upper(s.vm)""");
        check(stage, "vm", VM_UNKNOWN, null, "s.vm_id is null");
        Map<Long, Integer> enable = new HashMap<>();
        jdbc.query("select adapter_id, max(vf_index) + 1 from import_vf where problem is null group by adapter_id",
                rs -> {
                    enable.put(rs.getLong(1), rs.getInt(2));
                });
        enableVfs(enable);
        jdbc.update("""
                update import_vf s set vf_id = f.id, vf_pci = f.pci_address, vf_vm_name = v.name,
                       action = case when f.vm_id = s.vm_id then 'UNCHANGED' end
                  from virtual_function f left join vm v on v.id = f.vm_id
                 where f.adapter_id = s.adapter_id and f.vf_index = s.vf_index and s.problem is null""");
        check(stage, "vfId", "'VF ' || s.vf_pci || ' belongs to host ' || s.host_name || ', but VM ' || s.vm_name "
                + "|| ' runs on ' || s.vm_host_name", "vm v", "v.id = s.vm_id and v.host_id <> s.host_id "
                + "and s.action is null");
        check(stage, "vfId", "'VF ' || s.vf_pci || ' is already assigned to VM ' || s.vf_vm_name", null,
                "s.action is null and s.vf_vm_name is not null");
        check(stage, "vfId", "'adapter ' || s.adapter_label || ' has reached its ' || s.max_npiv || ' NPIV logins'",
                """
                (select t.line, row_number() over (partition by t.adapter_id order by t.line)
                        + (select count(*) from virtual_function f where f.adapter_id = t.adapter_id
                              and f.vm_id is not null) as logins
                   from import_vf t where t.action is null and t.problem is null) n""",
                "n.line = s.line and n.logins > s.max_npiv");
        jdbc.update("update import_vf set action = 'CREATE' where action is null and problem is null");
        List<AuditLog.Change> changes = new ArrayList<>();
        jdbc.query("select vm_id, vf_pci, vm_name from import_vf where action = 'CREATE' order by line", rs -> {
            changes.add(new AuditLog.Change("ASSIGN_VF", "vm", rs.getLong(1), "Assigned VF " + rs.getString(2)
                    + " to VM " + rs.getString(3), null, rs.getString(2)));
        });
        int assigned = jdbc.update("""
                update virtual_function f set vm_id = s.vm_id, version = f.version + 1
                  from import_vf s where s.vf_id = f.id and s.action = 'CREATE' and f.vm_id is null""");
        if (assigned != changes.size()) {
            // a VF was given to a VM in the UI since it was checked: never take it away unasked
            throw new ConcurrencyFailureException((changes.size() - assigned)
                    + " VF(s) were assigned meanwhile");
        }
        audit.changes(changes);
        return outcomes(stage);
    }

    /**
     * Enables VFs up to the given count on each adapter that has fewer (never removing any), numbered on from its
     * highest, at the addresses {@link HostService#vfPciAddress} gives; audited per adapter as setting the count.
     *
     * @return the adapters that got VFs
     */
    private Set<Long> enableVfs(Map<Long, Integer> counts) {
        Set<Long> changed = new HashSet<>();
        if (counts.isEmpty()) {
            return changed;
        }
        CopyRows vfs = new CopyRows();
        List<AuditLog.Change> changes = new ArrayList<>();
        jdbc.query("""
                select a.id, a.pci_address, a.vendor || ' ' || a.model || ' @ ' || a.pci_address,
                       (select count(*) from virtual_function f where f.adapter_id = a.id)
                  from adapter a where a.id = any (?) order by a.id""", rs -> {
            long adapterId = rs.getLong(1);
            int existing = rs.getInt(4);
            int wanted = counts.get(adapterId);
            if (existing < wanted) {
                for (int index = existing; index < wanted; index++) {
                    vfs.row(adapterId, index, HostService.vfPciAddress(rs.getString(2), index));
                }
                changed.add(adapterId);
                changes.add(new AuditLog.Change("SET_VFS", "adapter", adapterId, "Set " + wanted
                        + " VFs enabled on adapter " + rs.getString(3), existing, wanted));
            }
        }, (Object) counts.keySet().toArray(Long[]::new));
        vfs.into(dataSource, "virtual_function (adapter_id, vf_index, pci_address)");
        audit.changes(changes);
        return changed;
    }

    /**
     * A temporary table for one kind of row, dropped at the end of the transaction, holding the rows: the line, the
     * row's own columns (the first of {@code columns}, as many as {@code values} gives), the columns checking fills
     * in, and what became of the row.
     */
    private <R> String stage(String table, String columns, List<R> rows,
                             Function<R, Object[]> values) {
        // one import at a time: two would each find a name free and the second would fail on storing it
        jdbc.query("select pg_advisory_xact_lock(hashtext('vfzone.inventory-import'))", rs -> {
        });
        jdbc.execute("drop table if exists " + table);
        jdbc.execute("create temporary table " + table + " (line int primary key, " + columns
                // room on each page, so the checks' updates of every row stay on their page (HOT)
                + ", action text, problem_field text, problem text) with (fillfactor = 40) on commit drop");
        List<String> names = Arrays.stream(columns.split(",")).map(c -> c.strip().split("\\s+")[0])
                .toList();
        CopyRows copy = new CopyRows();
        int width = 0;
        for (R row : rows) {
            Object[] rowValues = values.apply(row);
            width = rowValues.length;
            copy.row(rowValues);
        }
        if (width > 0) {
            copy.into(dataSource, table + " (line, " + String.join(", ", names.subList(0, width - 1)) + ")");
        }
        // the planner knows nothing of a temporary table until it is analyzed
        jdbc.execute("analyze " + table);
        return table;
    }

    private void resolveHosts(String stage) {
        jdbc.update("update " + stage + " s set host_id = h.id, host_name = h.name from host h "
                + "where upper(h.name) = upper(s.host)");
        check(stage, "hostId", HOST_UNKNOWN, null, "s.host_id is null");
    }

    private void resolveFabrics(String stage) {
        jdbc.update("update " + stage + " s set fabric_id = f.id from fabric f where upper(f.name) = upper(s.fabric)");
        check(stage, "fabricId", FABRIC_UNKNOWN, null, "s.fabric is not null and s.fabric_id is null");
    }

    /**
     * Marks the rows, not yet refused, that break a rule: {@code where} holds for them (with {@code from} joined),
     * {@code reason} says why, in SQL over the row {@code s}.
     */
    private void check(String stage, String field, String reason, String from, String where) {
        jdbc.update("update " + stage + " s set problem_field = ?, problem = " + reason
                + (from == null ? "" : " from " + from) + " where s.problem is null and (" + where + ")", field);
    }

    /**
     * Refuses the rows whose WWN in {@code column} something else already uses, naming where, as the WWN registry
     * describes it; the object a row updates may keep its own WWN ({@code idColumn}: its id in the stage).
     */
    private void requireUnused(String stage, String column, String field, String ownerTable, String ownerColumn,
                               String idColumn, String condition) {
        record Use(int line, String wwn, Long ownerId) {
        }
        List<Use> uses = jdbc.query("select s.line, s." + column + ", " + (idColumn == null ? "null::bigint"
                        : "s." + idColumn) + " from " + stage + " s where s.problem is null and s." + column
                        + " is not null and (" + condition + ")",
                (rs, n) -> new Use(rs.getInt(1), rs.getString(2), rs.getObject(3, Long.class)));
        Map<String, WwnUsage> usages = wwnRegistry.findUsages(uses.stream().map(Use::wwn).toList());
        List<Object[]> refused = new ArrayList<>();
        for (Use use : uses) {
            WwnUsage usage = usages.get(use.wwn());
            if (usage != null && !usage.isOwnedBy(ownerTable, ownerColumn, use.ownerId())) {
                refused.add(new Object[] {field, use.wwn() + " is already used as the " + usage.description(),
                        use.line()});
            }
        }
        jdbc.batchUpdate("update " + stage + " set problem_field = ?, problem = ? where line = ? and problem is null",
                refused);
    }

    private List<Outcome> outcomes(String stage) {
        return jdbc.query("select line, action, problem_field, problem from " + stage + " order by line",
                (rs, n) -> new Outcome(rs.getInt(1), rs.getString(4) != null ? null : Action.valueOf(rs.getString(2)),
                        rs.getString(3), rs.getString(4)));
    }

    private static AdapterForm adapterForm(ResultSet rs, int first) throws SQLException {
        return new AdapterForm(AdapterKind.valueOf(rs.getString(first)), rs.getString(first + 1),
                rs.getString(first + 2), rs.getString(first + 3), rs.getString(first + 4), rs.getString(first + 5),
                rs.getObject(first + 6, Long.class), rs.getInt(first + 7), rs.getInt(first + 8));
    }
}
