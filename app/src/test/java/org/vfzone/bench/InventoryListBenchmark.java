package org.vfzone.bench;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.transaction.support.TransactionTemplate;
import org.vfzone.IntegrationTest;

/**
 * Page and API latency with 10,000 VMs on 250 hosts (500 adapters, 32,000 VFs, 18,000 WWPN pairs). Not part of
 * the test suite: run with {@code mvn -Pbench verify -pl app -am}. Prints the figures and writes them to
 * {@code app/target/benchmark-inventory.md}.
 */
@Tag("benchmark")
class InventoryListBenchmark extends IntegrationTest {

    static final int WARMUP = 20;
    static final int MEASURED = 100;

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TransactionTemplate transaction;

    @Test
    void tenThousandVms() throws Exception {
        long seedStart = System.nanoTime();
        transaction.executeWithoutResult(status -> seed());
        jdbc.execute("analyze");
        double seedSeconds = (System.nanoTime() - seedStart) / 1e9;
        long vms = jdbc.queryForObject("select count(*) from vm where name like 'bench-vm-%'", Long.class);
        long someVm = jdbc.queryForObject("select id from vm where name = 'bench-vm-07777'", Long.class);

        Map<String, MockHttpServletRequestBuilder> requests = new LinkedHashMap<>();
        requests.put("GET /vms (page 1 of all VMs, HTML)", get("/vms"));
        requests.put("GET /vms?page=150 (deep page, HTML)", get("/vms").param("page", "150"));
        requests.put("GET /vms?q=vm-0777 (search, HTML)", get("/vms").param("q", "vm-0777"));
        requests.put("GET /vms?atRisk=true (no dual paths, HTML)", get("/vms").param("atRisk", "true"));
        requests.put("GET / (dashboard, HTML)", get("/"));
        requests.put("GET /vms/{id} (VM detail with paths, HTML)", get("/vms/" + someVm));
        requests.put("GET /api/vms?page=100&size=50 (JSON)", get("/api/vms").param("page", "100"));

        StringBuilder report = new StringBuilder();
        report.append(String.format("Seeded %d VMs in %.1f s%n%n", vms, seedSeconds));
        report.append("| Request | p50 ms | p95 ms | max ms |\n|---|---|---|---|\n");
        for (Map.Entry<String, MockHttpServletRequestBuilder> entry : requests.entrySet()) {
            double[] ms = measure(entry.getValue());
            report.append(String.format("| %s | %.1f | %.1f | %.1f |%n", entry.getKey(), percentile(ms, 50),
                    percentile(ms, 95), ms[ms.length - 1]));
        }
        System.out.println(report);
        Files.writeString(Path.of("target", "benchmark-inventory.md"), report.toString());
    }

    private double[] measure(MockHttpServletRequestBuilder request) throws Exception {
        var viewer = user("bench").roles("VIEWER");
        List<Double> times = new ArrayList<>();
        for (int i = 0; i < WARMUP + MEASURED; i++) {
            long start = System.nanoTime();
            int status = mvc.perform(request.with(viewer)).andReturn().getResponse().getStatus();
            if (status != 200) {
                throw new IllegalStateException("status " + status);
            }
            if (i >= WARMUP) {
                times.add((System.nanoTime() - start) / 1e6);
            }
        }
        double[] sorted = times.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return sorted;
    }

    private static double percentile(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    /** 250 hosts × 40 VMs; 9 of 10 VMs have a WWPN pair and a VF on both fabrics, every tenth has nothing. */
    private void seed() {
        jdbc.execute("""
                create function pg_temp.bench_wwn(x bigint) returns text language sql immutable as
                $$ select regexp_replace(lpad(to_hex(x), 16, '0'), '(..)(?!$)', '\\1:', 'g') $$""");
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
}
