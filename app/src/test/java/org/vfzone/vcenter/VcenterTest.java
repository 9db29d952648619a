package org.vfzone.vcenter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.vfzone.IntegrationTest;
import org.vfzone.InventoryFixtures;
import org.vfzone.fabric.emulator.Fault;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.Host;
import org.vfzone.inventory.Vm;
import org.vfzone.inventory.VmForm;
import org.vfzone.inventory.VmService;
import org.vfzone.inventory.internal.VmFabricIdentityRepository;
import org.vfzone.traffic.TrafficQueries;
import org.vfzone.traffic.TrafficRollups;
import org.vfzone.traffic.TrafficSource;
import org.vfzone.vsphere.emulator.VcenterEmulator;
import org.vfzone.wwn.Wwn;
import tools.jackson.databind.json.JsonMapper;

/**
 * vCenter end to end: an admin adds a connection, the poller matches vCenter's VMs to vfzone's (NPIV WWPN, BIOS UUID,
 * name) and stores their disk IO, the VM's report charts it as vCenter's, a vCenter that went down is said so.
 */
class VcenterTest extends IntegrationTest {

    static final String PASSWORD = "vc-secret-1";

    @Autowired
    MockMvc mvc;
    @Autowired
    InventoryFixtures fixtures;
    @Autowired
    VmService vms;
    @Autowired
    VmFabricIdentityRepository identities;
    @Autowired
    VcenterPoller poller;
    @Autowired
    TrafficQueries queries;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    TrafficRollups rollups;

    VcenterEmulator vcenter;
    Vm byWwpn;
    Vm byUuid;
    Vm byName;
    long vcenterId;

    @BeforeEach
    void vcenterWithThreeOfOurVms() throws Exception {
        // the emulated vCenter's clock stands still two hours ago: its newest sample is the same at every poll of a
        // test, in an hour that is over (the hourly rollup takes closed hours only)
        vcenter = new VcenterEmulator("svc-vfzone@vsphere.local", PASSWORD,
                Clock.fixed(Instant.now().minus(2, ChronoUnit.HOURS), ZoneOffset.UTC));
        Host host = fixtures.host();
        Fabric fabric = fixtures.fabric("A");
        fixtures.adapter(host, fabric, 4, 2);
        byWwpn = fixtures.vm(host);
        vms.allocateIdentityAndAssignVfs(byWwpn.getId(), fixtures.pool(8).getId(), "tester");
        Wwn standby = identities.findByVmIdAndFabricId(byWwpn.getId(), fabric.getId()).orElseThrow().getStandbyWwpn();
        String uuid = UUID.randomUUID().toString();
        byUuid = vms.create(new VmForm(unique("uuid-vm"), uuid, host.getId(), ""));
        byName = vms.create(new VmForm(unique("Name-VM"), "", host.getId(), ""));
        // the WWPN vCenter knows is the standby one (the VM moved); the UUID and name as vCenter writes them
        String a = vcenter.addVm("renamed-in-vcenter", "4201ffff-0000-0000-0000-000000000001",
                List.of(standby.value(), 0x2f00000000000099L));
        String b = vcenter.addVm("also-renamed", uuid.toUpperCase(), List.of());
        String c = vcenter.addVm(byName.getName().toLowerCase(), "4201ffff-0000-0000-0000-000000000003", List.of());
        vcenter.addVm("not-ours", "4201ffff-0000-0000-0000-000000000004", List.of());
        vcenter.diskIo(a, "scsi0:0", 2000, 500, 120, 30);
        vcenter.diskIo(a, "scsi0:1", 48, 12, 8, 2);
        vcenter.diskIo(b, "scsi0:0", 100, 100, 10, 10);
        vcenter.diskIo(c, "scsi0:0", 10, 10, 1, 1);
        String created = mvc.perform(post("/api/vcenters").with(user("admin").roles("ADMIN"))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(JSON.writeValueAsString(Map.of("name", unique("vc"), "sdkUrl",
                                vcenter.baseUrl().toString(), "username", "svc-vfzone@vsphere.local",
                                "password", PASSWORD))))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.sdkUrl").value(vcenter.baseUrl() + "/sdk"))
                .andExpect(jsonPath("$.passwordStored").value(true))
                .andExpect(content().string(not(containsString(PASSWORD))))
                .andReturn().getResponse().getContentAsString();
        vcenterId = JSON.readTree(created).path("id").asLong();
    }

    static final JsonMapper JSON = JsonMapper.builder().build();

    @AfterEach
    void stop() {
        vcenter.close();
    }

    @Test
    void vmsAreMatchedByWwpnUuidOrNameAndTheirDiskIoIsChartedAsVcenters() throws Exception {
        VcenterPoller.Result result = poller.poll(vcenterId);
        assertThat(result.status()).isEqualTo("OK");
        assertThat(result.vms()).isEqualTo(4);
        assertThat(result.matched()).isEqualTo(3);
        assertThat(result.samples()).isEqualTo(18);
        assertThat(jdbc.queryForList("select matched_by from vcenter_vm where vcenter_id = ? order by vm_id",
                String.class, vcenterId)).containsExactlyInAnyOrder("wwpn", "uuid", "name");

        Instant now = Instant.now();
        TrafficQueries.Series series = queries.vmDiskSeries(byWwpn.getId(), now.minus(3, ChronoUnit.HOURS), now);
        assertThat(series.sources()).extracting(s -> s.source()).containsExactly(TrafficSource.VCENTER);
        assertThat(series.values().get("read_iops")).filteredOn(v -> v != null).isNotEmpty()
                .allSatisfy(v -> assertThat(v).isCloseTo(128.0, within(0.01)));
        assertThat(series.values().get("read_mbps")).filteredOn(v -> v != null)
                .allSatisfy(v -> assertThat(v).isCloseTo(2048 * 1024 / 1e6, within(0.001)));
        // the report's JSON and page, on the API and in the UI
        mvc.perform(get("/api/traffic/vms/{id}/series", byWwpn.getId()).param("range", "24h")
                        .with(user("viewer").roles("VIEWER")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$['" + TrafficQueries.VCENTER + "'].sources[0].label").value("vCenter"));
        mvc.perform(get("/vms/{id}/vcenter", byWwpn.getId()).with(user("viewer").roles("VIEWER")))
                .andExpect(status().isOk()).andExpect(content().string(containsString("matched by NPIV WWPN")));

        // read again at once: nothing newer than what is stored
        assertThat(poller.poll(vcenterId).samples()).isZero();

        // the top-VM report ranks a VM with no per-initiator counters by its disk IO from vCenter
        rollups.rebuild(now.minus(4, ChronoUnit.HOURS));
        assertThat(queries.topVms(now.minus(4, ChronoUnit.HOURS), now, "iops", 10_000))
                .filteredOn(row -> row.vmId() == byUuid.getId()).singleElement()
                .satisfies(row -> {
                    assertThat(row.vmName()).isEqualTo(byUuid.getName());
                    assertThat(row.iops()).isCloseTo(20.0, within(0.01));
                });
        // a chart over more than six days draws the hourly averages
        TrafficQueries.Series week = queries.vmDiskSeries(byWwpn.getId(), now.minus(8, ChronoUnit.DAYS), now);
        assertThat(week.stepSeconds()).isEqualTo(3600);
        assertThat(week.values().get("read_iops")).filteredOn(v -> v != null).isNotEmpty()
                .allSatisfy(v -> assertThat(v).isCloseTo(128.0, within(0.01)));
    }

    @Test
    void aVcenterThatWentDownIsFailedAndTheVmReportSaysSinceWhen() throws Exception {
        assertThat(poller.poll(vcenterId).status()).isEqualTo("OK");
        vcenter.close();
        VcenterPoller.Result down = poller.poll(vcenterId);
        assertThat(down.status()).isEqualTo("FAILED");
        assertThat(down.message()).contains("cannot reach vCenter");
        mvc.perform(get("/vms/{id}/vcenter", byUuid.getId()).with(user("viewer").roles("VIEWER")))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("no data from vCenter since")));
        mvc.perform(get("/vcenters").with(user("viewer").roles("VIEWER")))
                .andExpect(status().isOk()).andExpect(content().string(containsString("no data from vCenter since")));
    }

    @Test
    void aVcenterThatHangsDoesNotHoldUpTheOthers() throws Exception {
        try (VcenterEmulator hanging = new VcenterEmulator("svc", "hang-secret")) {
            hanging.hangFor(Duration.ofMinutes(5));
            hanging.faults().add("POST", "/sdk", null, 1, 1000, Fault.HANG);
            long stuck = JSON.readTree(mvc.perform(post("/api/vcenters").with(user("admin").roles("ADMIN"))
                    .contentType(MediaType.APPLICATION_JSON).content(JSON.writeValueAsString(Map.of("name",
                            unique("vc-hang"), "sdkUrl", hanging.baseUrl().toString(), "username", "svc",
                            "password", "hang-secret")))).andReturn().getResponse().getContentAsString())
                    .path("id").asLong();
            Instant before = Instant.now();
            Thread all = new Thread(poller::pollAll, "test-poll-all");
            all.setDaemon(true);
            all.start();
            assertThat(hanging.faults().awaitFired(Duration.ofSeconds(60))).isTrue();
            // the healthy vCenter is read while the other still hangs
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject(
                    "select count(*) from vcenter_status where vcenter_id = ? and status = 'OK' and checked_at >= ?",
                    Integer.class, vcenterId, Timestamp.from(before.minusSeconds(1))) == 1);
            assertThat(all.isAlive()).isTrue();
            assertThat(jdbc.queryForObject("select count(*) from vcenter_status where vcenter_id = ?", Integer.class,
                    stuck)).isZero();
        }
    }

    @Test
    void onlyAnAdminChangesConnectionsAndBadInputIsRefusedWithTheField() throws Exception {
        mvc.perform(post("/api/vcenters").with(user("op").roles("OPERATOR")).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"x\",\"sdkUrl\":\"https://vc\",\"username\":\"u\",\"password\":\"p\"}"))
                .andExpect(status().isForbidden());
        mvc.perform(post("/api/vcenters").with(user("admin").roles("ADMIN")).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"x\",\"sdkUrl\":\"ftp://vc\",\"username\":\"u\",\"password\":\"p\"}"))
                .andExpect(status().isBadRequest()).andExpect(content().string(containsString("sdkUrl")));
        mvc.perform(post("/api/vcenters").with(user("admin").roles("ADMIN")).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"x\",\"sdkUrl\":\"https://vc\",\"username\":\"u\",\"password\":\"p\","
                                + "\"tlsCertificateSha256\":\"not-a-fingerprint\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().string(containsString("tlsCertificateSha256")));
        // the form keeps what was typed and says why beside the field
        mvc.perform(post("/vcenters").with(user("admin").roles("ADMIN")).with(csrf())
                        .param("name", "vc-form").param("sdkUrl", "vc01 example").param("username", "svc")
                        .param("password", "secret"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("value=\"vc01 example\"")))
                .andExpect(content().string(containsString("invalid-feedback")));
        // a test of the saved connection signs in and reads, storing nothing
        mvc.perform(post("/api/vcenters/{id}/test", vcenterId).with(user("admin").roles("ADMIN")))
                .andExpect(status().isOk()).andExpect(jsonPath("$.status").value("OK"))
                .andExpect(jsonPath("$.product", containsString("vCenter Server 8.0.3")))
                .andExpect(jsonPath("$.matched").value(3));
        assertThat(jdbc.queryForObject("select count(*) from vcenter_vm where vcenter_id = ?", Integer.class,
                vcenterId)).isZero();
        // the password went with the old address: a changed URL without a new one leaves none
        mvc.perform(put("/api/vcenters/{id}",
                                vcenterId).with(user("admin").roles("ADMIN")).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"moved\",\"sdkUrl\":\"https://vc02.example.net\",\"username\":"
                                + "\"svc-vfzone@vsphere.local\",\"password\":\"\"}"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.passwordStored").value(false));
        assertThat(poller.poll(vcenterId).message()).contains("no password stored");
    }

}
