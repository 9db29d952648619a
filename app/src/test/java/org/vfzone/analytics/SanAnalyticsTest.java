package org.vfzone.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.vfzone.IntegrationTest;
import org.vfzone.InventoryFixtures;
import org.vfzone.fabric.cisco.CiscoMdsEmulator;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.Host;
import org.vfzone.inventory.Vm;
import org.vfzone.inventory.VmService;
import org.vfzone.inventory.internal.VmFabricIdentityRepository;
import org.vfzone.security.Role;
import org.vfzone.security.UserService;
import org.vfzone.traffic.Rates;
import org.vfzone.traffic.Snapshot;
import org.vfzone.traffic.TrafficCounters;
import org.vfzone.traffic.TrafficIngestService;
import org.vfzone.traffic.TrafficQueries;
import org.vfzone.traffic.TrafficSource;
import org.vfzone.wwn.Wwn;

/**
 * SAN Analytics end to end against an emulated MDS switch: flows read over NX-API become the initiator's traffic
 * (charts, with their source), a host collector takes precedence and no rate spans two sources, a fabric without
 * analytics or out of reach is reported as such.
 */
class SanAnalyticsTest extends IntegrationTest {

    static final int VSAN = 40;
    static final String TARGET = "52:4a:93:7a:1b:2c:40:01";

    @Autowired
    MockMvc mvc;
    @Autowired
    InventoryFixtures fixtures;
    @Autowired
    VmService vms;
    @Autowired
    VmFabricIdentityRepository identities;
    @Autowired
    SanAnalyticsPoller poller;
    @Autowired
    TrafficQueries queries;
    @Autowired
    TrafficCounters counters;
    @Autowired
    TrafficIngestService ingest;
    @Autowired
    UserService users;
    @Autowired
    JdbcTemplate jdbc;

    CiscoMdsEmulator mds;
    Fabric fabric;
    Wwn initiator;
    Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(40, ChronoUnit.MINUTES);

    @BeforeEach
    void fabricWithAVm() {
        mds = new CiscoMdsEmulator("admin", "mds-secret", VSAN);
        fabric = fixtures.mdsFabric(mds, VSAN, "mds-secret");
        Host host = fixtures.host();
        fixtures.adapter(host, fabric, 4, 2);
        Vm vm = fixtures.vm(host);
        vms.allocateIdentityAndAssignVfs(vm.getId(), fixtures.pool(8).getId(), "tester");
        initiator = identities.findByVmIdAndFabricId(vm.getId(), fabric.getId()).orElseThrow().getActiveWwpn();
        mds.login(VSAN, initiator.toString(), null, "0x280011", "fc1/11", "esx NPIV", "scsi-fcp:init");
        mds.login(VSAN, TARGET, null, "0x280100", "fc1/33", "array ct0", "scsi-fcp:target");
        mds.analytics(true);
    }

    @AfterEach
    void stop() {
        mds.close();
    }

    /** A minute of IO on the flow: 100 reads/s of 100 kB, 50 writes/s of 40 kB. */
    void aMinuteOfIo() {
        mds.flowTraffic(VSAN, "fc1/11", "0x280011", "0x280100", 6000, 3000, 600_000_000, 120_000_000);
    }

    @Test
    void flowsBecomeTheInitiatorsTrafficWithTheSwitchAsItsSource() throws Exception {
        aMinuteOfIo();
        SanAnalyticsPoller.Result first = poller.poll(fabric.getId(), t0);
        assertThat(first.status()).isEqualTo("OK");
        assertThat(first.flows()).isEqualTo(1);
        assertThat(first.stored()).isEqualTo(1);
        aMinuteOfIo();
        poller.poll(fabric.getId(), t0.plusSeconds(60));

        TrafficQueries.Series series = queries.series(List.of(initiator.value()), t0.minusSeconds(60),
                t0.plusSeconds(120));
        List<Double> readIops = series.values().get("read_iops").stream().filter(v -> v != null).toList();
        assertThat(readIops).singleElement().satisfies(v -> assertThat(v).isCloseTo(100.0, within(0.01)));
        assertThat(series.values().get("write_iops")).filteredOn(v -> v != null).singleElement()
                .satisfies(v -> assertThat(v).isCloseTo(50.0, within(0.01)));
        assertThat(series.values().get("read_mbps")).filteredOn(v -> v != null).singleElement()
                .satisfies(v -> assertThat(v).isCloseTo(10.0, within(0.01)));
        assertThat(series.values().get("write_mbps")).filteredOn(v -> v != null).singleElement()
                .satisfies(v -> assertThat(v).isCloseTo(2.0, within(0.01)));
        assertThat(series.sources()).extracting(s -> s.source()).containsExactly(TrafficSource.SWITCH);

        // the flow itself, with its rates, on the API and on the fabric and initiator pages
        mvc.perform(get("/api/fabrics/{id}/analytics", fabric.getId()).with(user("viewer").roles("VIEWER")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status.status").value("OK"))
                .andExpect(jsonPath("$.flows[0].initiator").value(initiator.toString()))
                .andExpect(jsonPath("$.flows[0].target").value(TARGET))
                .andExpect(jsonPath("$.flows[0].readIops").value(100.0))
                .andExpect(jsonPath("$.flows[0].writeMbps").value(2.0));
        mvc.perform(get("/api/initiators/{w}/flows", initiator.toString()).with(user("viewer").roles("VIEWER")))
                .andExpect(status().isOk()).andExpect(jsonPath("$[0].initiatorIs", containsString("active WWPN")));
        mvc.perform(get("/fabrics/{id}/analytics", fabric.getId()).with(user("viewer").roles("VIEWER")))
                .andExpect(status().isOk()).andExpect(content().string(containsString("1 flows of 1 initiators")));
        mvc.perform(get("/traffic/initiators/{w}/flows", initiator.toString()).with(user("viewer").roles("VIEWER")))
                .andExpect(status().isOk()).andExpect(content().string(containsString(TARGET)));
        mvc.perform(get("/traffic/initiators/{w}/series", initiator.toString()).param("range", "1h")
                        .with(user("viewer").roles("VIEWER")))
                .andExpect(status().isOk()).andExpect(jsonPath("$.sources[0].label").value("switch analytics"));
    }

    @Test
    void aHostCollectorTakesPrecedenceAndNoRateSpansTwoSources() {
        // the host collector reported two minutes ago: the switch's reading is held back
        ingest.ingest(List.of(hostSnapshot(t0.minusSeconds(120), 1_000_000)));
        aMinuteOfIo();
        SanAnalyticsPoller.Result held = poller.poll(fabric.getId(), t0);
        assertThat(held.stored()).isZero();
        assertThat(held.hostReports()).isEqualTo(1);

        // silent for longer than the takeover time: the switch serves the initiator
        aMinuteOfIo();
        assertThat(poller.poll(fabric.getId(), t0.plusSeconds(12 * 60)).stored()).isEqualTo(1);
        aMinuteOfIo();
        assertThat(poller.poll(fabric.getId(), t0.plusSeconds(13 * 60)).stored()).isEqualTo(1);

        // the collector reports again: it takes the initiator back at once
        ingest.ingest(List.of(hostSnapshot(t0.plusSeconds(13 * 60 + 30), 2_000_000),
                hostSnapshot(t0.plusSeconds(13 * 60 + 40), 2_000_100)));
        aMinuteOfIo();
        SanAnalyticsPoller.Result back = poller.poll(fabric.getId(), t0.plusSeconds(14 * 60));
        assertThat(back.stored()).isZero();
        assertThat(back.hostReports()).isEqualTo(1);

        List<Float> readIops = new ArrayList<>();
        List<Instant> at = new ArrayList<>();
        counters.rates(List.of(initiator.value()), t0.plusSeconds(11 * 60), t0.plusSeconds(15 * 60),
                (Snapshot snapshot, Rates rates) -> {
                    at.add(snapshot.ts());
                    readIops.add(rates == null ? null : rates.readIops());
                });
        // switch, switch (100 IOPS), host (none: across the change), host (10 IOPS)
        assertThat(at).containsExactly(t0.plusSeconds(12 * 60), t0.plusSeconds(13 * 60),
                t0.plusSeconds(13 * 60 + 30), t0.plusSeconds(13 * 60 + 40));
        assertThat(readIops.get(0)).isNull();
        assertThat(readIops.get(1)).isCloseTo(100f, within(0.01f));
        assertThat(readIops.get(2)).isNull();
        assertThat(readIops.get(3)).isCloseTo(10f, within(0.01f));

        TrafficQueries.Series series = queries.series(List.of(initiator.value()), t0.plusSeconds(11 * 60),
                t0.plusSeconds(15 * 60));
        assertThat(series.sources()).extracting(s -> s.source())
                .containsExactly(TrafficSource.SWITCH, TrafficSource.HOST);
        assertThat(series.sources().get(1).from()).isEqualTo(t0.plusSeconds(13 * 60 + 30));
    }

    Snapshot hostSnapshot(Instant at, long reads) {
        return Snapshot.of(initiator.value(), at, "Online", reads, 0L, null, null, null, null, null, null, 0L, 0L,
                0L, 0L, 0L, 0L, 86_400L);
    }

    @Test
    void aSwitchWithoutAnalyticsIsReportedAsSuchAndOneOutOfReachAsFailedSinceItsLastReading() throws Exception {
        mds.analytics(false);
        SanAnalyticsPoller.Result none = poller.poll(fabric.getId(), t0);
        assertThat(none.status()).isEqualTo("UNAVAILABLE");
        assertThat(none.message()).contains("Invalid command");
        mvc.perform(get("/fabrics/{id}/analytics", fabric.getId()).with(user("viewer").roles("VIEWER")))
                .andExpect(status().isOk()).andExpect(content().string(containsString("not available")));

        mds.analytics(true);
        aMinuteOfIo();
        assertThat(poller.poll(fabric.getId(), t0.plusSeconds(60)).status()).isEqualTo("OK");
        mds.close();
        SanAnalyticsPoller.Result down = poller.poll(fabric.getId(), t0.plusSeconds(120));
        assertThat(down.status()).isEqualTo("FAILED");
        mvc.perform(get("/fabrics/{id}/analytics", fabric.getId()).with(user("viewer").roles("VIEWER")))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("no data from the switch since")));
        // the flows of the last good reading stay listed
        assertThat(jdbc.queryForObject("select count(*) from san_analytics_flow where fabric_id = ?", Integer.class,
                fabric.getId())).isEqualTo(1);
    }

    @Test
    void aPollOnDemandNeedsAnOperatorOfTheFabric() throws Exception {
        users.create(unique("viewer"), "viewer-password-1", Role.VIEWER);
        String operator = unique("operator");
        users.create(operator, "operator-password-1", Role.OPERATOR);
        mvc.perform(post("/api/fabrics/{id}/analytics/poll", fabric.getId()).with(user("v").roles("VIEWER")))
                .andExpect(status().isForbidden());
        aMinuteOfIo();
        mvc.perform(post("/api/fabrics/{id}/analytics/poll", fabric.getId())
                        .with(httpBasic(operator, "operator-password-1")))
                .andExpect(status().isOk()).andExpect(jsonPath("$.status").value("OK"))
                .andExpect(jsonPath("$.flows").value(1));
        mvc.perform(post("/fabrics/{id}/analytics/poll", fabric.getId()).with(csrf())
                        .with(httpBasic(operator, "operator-password-1")))
                .andExpect(status().is3xxRedirection());
    }
}
