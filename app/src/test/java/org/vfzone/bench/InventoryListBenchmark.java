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
        BenchEstate.seedOnce(jdbc, transaction);
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

}
