package org.vfzone.bench;

import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** The estate benchmarks run on, inserted in bulk with SQL (the triggers still register every WWN). */
final class BenchEstate {

    private BenchEstate() {
    }

    /** Seeds the estate unless an earlier benchmark of the same run already did. */
    /** The active WWPNs of the first {@code count} VMs of the bench estate, seeding it first if needed. */
    static List<String> activeWwpns(JdbcTemplate jdbc,
                                              TransactionTemplate transaction,
                                              int count) {
        seedOnce(jdbc, transaction);
        return jdbc.queryForList("select active_wwpn from vm_fabric_identity order by id limit ?", String.class,
                count);
    }

    static void seedOnce(JdbcTemplate jdbc, TransactionTemplate transaction) {
        Long seeded = jdbc.queryForObject("select count(*) from fabric where name = 'BENCH-A'", Long.class);
        if (seeded == null || seeded == 0) {
            transaction.executeWithoutResult(status -> seed(jdbc));
            jdbc.execute("analyze");
        }
    }

    /** 250 hosts × 40 VMs; 9 of 10 VMs have a WWPN pair and a VF on both fabrics, every tenth has nothing. */
    static void seed(JdbcTemplate jdbc) {
        createWwnFunction(jdbc);
        jdbc.execute("""
                insert into fabric (name, side, vendor) values ('BENCH-A', 'A', 'simulated'), ('BENCH-B', 'B', 'simulated')
                """);
        jdbc.execute("""
                insert into host (name, cluster, hypervisor)
                select 'bench-esx' || lpad(g::text, 4, '0'), 'bench-cl' || (g % 10), 'ESXI'
                  from generate_series(1, 250) g""");
        jdbc.execute("""
                insert into adapter (host_id, kind, vendor, model, pci_address, wwnn, wwpn, fabric_id, max_vfs,
                                     max_npiv_vports)
                select h.id, 'HBA', 'Emulex', 'LPe35002',
                       case f.side when 'A' then '0000:3b:00.0' else '0000:5e:00.0' end,
                       pg_temp.bench_wwn(x'2000001000000000'::bigint + h.id * 2 + (f.side = 'B')::int),
                       pg_temp.bench_wwn(x'1000001000000000'::bigint + h.id * 2 + (f.side = 'B')::int),
                       f.id, 64, 255
                  from host h cross join fabric f
                 where h.name like 'bench-esx%' and f.name like 'BENCH-%'""");
        jdbc.execute("""
                insert into virtual_function (adapter_id, vf_index, pci_address)
                select a.id, i, '0000:3b:10.0'
                  from adapter a cross join generate_series(0, 63) i
                 where a.vendor = 'Emulex' and a.host_id in (select id from host where name like 'bench-esx%')""");
        jdbc.execute("""
                insert into vm (name, uuid, host_id, cluster, wwnn)
                select 'bench-vm-' || lpad(g::text, 5, '0'), gen_random_uuid(), h.id, h.cluster,
                       case when g % 10 <> 0 then pg_temp.bench_wwn(x'2f00000000000000'::bigint + g) end
                  from generate_series(1, 10000) g
                  join host h on h.name = 'bench-esx' || lpad((((g - 1) / 40) + 1)::text, 4, '0')""");
        jdbc.execute("""
                insert into vm_fabric_identity (vm_id, fabric_id, active_wwpn, standby_wwpn)
                select v.id, f.id,
                       pg_temp.bench_wwn(x'2f10000000000000'::bigint + v.id * 4 + (f.side = 'B')::int * 2),
                       pg_temp.bench_wwn(x'2f10000000000000'::bigint + v.id * 4 + (f.side = 'B')::int * 2 + 1)
                  from vm v cross join fabric f
                 where v.wwnn is not null and v.name like 'bench-vm-%' and f.name like 'BENCH-%'""");
        jdbc.execute("""
                update virtual_function vf set vm_id = pick.vm_id
                  from (select v.id as vm_id, a.id as adapter_id,
                               row_number() over (partition by a.id order by v.id) - 1 as vf_index
                          from vm v join adapter a on a.host_id = v.host_id
                         where v.wwnn is not null and v.name like 'bench-vm-%') pick
                 where vf.adapter_id = pick.adapter_id and vf.vf_index = pick.vf_index""");
    }

    /** {@code pg_temp.bench_wwn(n)}: n as a canonical WWN, for this session (call inside the seeding transaction). */
    static void createWwnFunction(JdbcTemplate jdbc) {
        jdbc.execute("""
                create or replace function pg_temp.bench_wwn(x bigint) returns text language sql immutable as
                $$ select regexp_replace(lpad(to_hex(x), 16, '0'), '(..)(?!$)', '\\1:', 'g') $$""");
    }

    /** An array with two target ports on each bench fabric, and access to it for every VM. */
    static void grantEveryVmAnArray(JdbcTemplate jdbc) {
        createWwnFunction(jdbc);
        jdbc.execute("insert into storage_array (name, vendor) values ('bench-array', 'Pure Storage')");
        jdbc.execute("""
                insert into target_port (array_id, name, wwpn, fabric_id)
                select a.id, 'CT' || c || '-' || f.side, pg_temp.bench_wwn(x'524a937a1b2c0000'::bigint
                       + c * 16 + (f.side = 'B')::int), f.id
                  from storage_array a cross join fabric f cross join generate_series(0, 1) c
                 where a.name = 'bench-array' and f.name like 'BENCH-%'""");
        jdbc.execute("""
                insert into storage_access (vm_id, array_id, granted_by)
                select v.id, a.id, 'bench' from vm v cross join storage_array a
                 where v.name like 'bench-vm-%' and a.name = 'bench-array'""");
    }
}
