package org.vfzone.congestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import org.springframework.test.web.servlet.MockMvc;
import org.vfzone.IntegrationTest;
import org.vfzone.InventoryFixtures;
import org.vfzone.fabric.brocade.BrocadeFosEmulator;
import org.vfzone.fabric.cisco.CiscoMdsEmulator;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.Host;
import org.vfzone.inventory.StorageArray;
import org.vfzone.inventory.StorageArrayForm;
import org.vfzone.inventory.StorageArrayService;
import org.vfzone.inventory.TargetPortForm;
import org.vfzone.inventory.Vm;
import org.vfzone.inventory.VmService;
import org.vfzone.inventory.internal.VmFabricIdentityRepository;
import org.vfzone.traffic.Snapshot;
import org.vfzone.traffic.TrafficIngestService;
import org.vfzone.traffic.TrafficRollups;
import org.vfzone.wwn.Wwn;
import org.vfzone.zoning.StorageAccessService;
import org.vfzone.zoning.ZoningEvent;

/**
 * Congestion per VM against emulated switches: a slow-drain port names the VM with most of its traffic as the likely
 * cause and the other as a bystander; an array port's symptoms reach the VMs zoned to it; a cleared counter is no
 * negative; a fabric that cannot be read says so; an MDS of the older counter form reads as well.
 */
@RecordApplicationEvents
class CongestionTest extends IntegrationTest {

    @Autowired
    ApplicationEvents events;

    static final String TARGET = "52:4a:93:7a:1b:2c:66:01";

    @Autowired
    MockMvc mvc;
    @Autowired
    InventoryFixtures fixtures;
    @Autowired
    VmService vms;
    @Autowired
    VmFabricIdentityRepository identities;
    @Autowired
    StorageArrayService arrays;
    @Autowired
    StorageAccessService access;
    @Autowired
    CongestionPoller poller;
    @Autowired
    CongestionQueries queries;
    @Autowired
    TrafficIngestService ingest;
    @Autowired
    TrafficRollups rollups;

    final List<AutoCloseable> switches = new ArrayList<>();
    final Instant t0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(3, ChronoUnit.HOURS);

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable s : switches) {
            s.close();
        }
    }

    record OnePort(Fabric fabric, Vm heavy, Vm light, Wwn heavyWwpn, Wwn lightWwpn) {
    }

    Vm vmOn(Host host) {
        Vm vm = fixtures.vm(host);
        vms.allocateIdentityAndAssignVfs(vm.getId(), fixtures.pool(8).getId(), "tester");
        return vm;
    }

    Wwn activeWwpn(Vm vm, Fabric fabric) {
        return identities.findByVmIdAndFabricId(vm.getId(), fabric.getId()).orElseThrow().getActiveWwpn();
    }

    /** {@code megabytesPerMinute} read by the initiator each minute over the first 15 minutes after t0. */
    void traffic(Wwn initiator, long megabytesPerMinute) {
        List<Snapshot> snapshots = new ArrayList<>();
        for (int minute = 0; minute <= 15; minute++) {
            snapshots.add(Snapshot.of(initiator.value(), t0.plusSeconds(60L * minute), "Online", 100L * minute, 0L,
                    megabytesPerMinute * minute, 0L, null, null, null, null, 0L, 0L, 0L, 0L, 0L, 0L,
                    86_400L + 60L * minute));
        }
        ingest.ingest(snapshots);
    }

    @Test
    void aSlowDrainPortNamesTheVmWithMostOfItsTrafficTheLikelyCauseAndTheOtherABystander() throws Exception {
        BrocadeFosEmulator fos = new BrocadeFosEmulator("admin", "fos-secret", 10);
        switches.add(fos);
        Fabric fabric = fixtures.brocadeFabric(fos, 10, "fos-secret");
        Host host = fixtures.host();
        fixtures.adapter(host, fabric, 8, 4);
        Vm heavy = vmOn(host);
        Vm light = vmOn(host);
        Wwn heavyWwpn = activeWwpn(heavy, fabric);
        Wwn lightWwpn = activeWwpn(light, fabric);
        StorageArray array = arrays.create(new StorageArrayForm("cong-array-" + fabric.getId(), "Pure Storage", "", ""));
        arrays.addPort(array.getId(), new TargetPortForm("CT0-FC0", TARGET, fabric.getId()));
        access.grant(light.getId(), array.getId(), "tester");
        fos.login(10, heavyWwpn.toString(), null, "0x010c01", 12, "esx01 NPIV", "FCP-Initiator");
        fos.login(10, lightWwpn.toString(), null, "0x010c02", 12, "esx01 NPIV", "FCP-Initiator");
        fos.login(10, TARGET, null, "0x010500", 5, "array ct0", "FCP-Target");
        traffic(heavyWwpn, 480);
        traffic(lightWwpn, 120);
        rollups.rebuild(t0.minus(1, ChronoUnit.HOURS));

        assertThat(poller.poll(fabric.getId(), t0).status()).isEqualTo("OK");
        fos.port(10, 12).slowDrain(300, 0.3, 25).traffic(600_000_000, 20_000_000);
        fos.port(10, 5).crc(7);
        CongestionPoller.Result second = poller.poll(fabric.getId(), t0.plusSeconds(300));
        assertThat(second.ports()).isEqualTo(2);
        assertThat(second.logins()).isEqualTo(3);
        // announced once, with the VMs' roles, to the channels that want it
        List<ZoningEvent> announced = events.stream(ZoningEvent.class)
                .filter(e -> e.kind() == ZoningEvent.Kind.PORT_SLOW_DRAINING).toList();
        assertThat(announced).singleElement().satisfies(e -> {
            assertThat(e.fabricId()).isEqualTo(fabric.getId());
            assertThat(e.summary()).isEqualTo("1 port started to slow-drain on " + fabric.getName());
            assertThat(e.detail()).contains("port 0/12:", "25 discards",
                    "VM " + heavy.getName() + " likely cause", "VM " + light.getName() + " bystander");
        });
        // the switch's counters cleared, then a few more discards: counted from zero, never negative
        fos.port(10, 12).clear().slowDrain(60, 0.1, 3);
        poller.poll(fabric.getId(), t0.plusSeconds(600));
        assertThat(events.stream(ZoningEvent.class).filter(e -> e.kind() == ZoningEvent.Kind.PORT_SLOW_DRAINING))
                .as("still draining: not announced again").hasSize(1);

        CongestionQueries.FabricCongestion congestion = queries.fabric(fabric.getId(), t0, t0.plusSeconds(900));
        assertThat(congestion.ports()).extracting(f -> f.symptoms().port()).containsExactly("0/12", "0/5");
        CongestionQueries.PortFinding port12 = congestion.ports().get(0);
        assertThat(port12.symptoms().discards()).isEqualTo(28L);
        assertThat(port12.symptoms().timeouts()).isEqualTo(28L);
        assertThat(port12.symptoms().creditZero()).isEqualTo(96_000L);
        assertThat(port12.symptoms().txWaitPercent()).as("FOS has no TxWait").isNull();
        assertThat(port12.devices()).extracting(CongestionQueries.Device::vmId, CongestionQueries.Device::role)
                .containsExactly(tuple(heavy.getId(), "likely cause"), tuple(light.getId(), "bystander"));
        assertThat(port12.devices().get(0).sharePercent()).isCloseTo(80.0, within(0.5));
        // a day is read from the hourly sums: the same counts
        CongestionQueries.FabricCongestion day = queries.fabric(fabric.getId(), t0.minus(1, ChronoUnit.HOURS),
                t0.plus(23, ChronoUnit.HOURS));
        assertThat(day.ports()).extracting(f -> f.symptoms().port(), f -> f.symptoms().discards(),
                f -> f.symptoms().creditZero()).containsExactly(tuple("0/12", 28L, 96_000L), tuple("0/5", 0L, 0L));
        CongestionQueries.PortFinding port5 = congestion.ports().get(1);
        assertThat(port5.symptoms().linkErrors()).isEqualTo(7L);
        assertThat(port5.symptoms().slowDrain(5)).isFalse();
        assertThat(port5.devices()).extracting(CongestionQueries.Device::kind).containsExactly("ARRAY_PORT");

        // the light VM: a bystander on its own port; its array port has link errors only
        CongestionQueries.VmCongestion lightView = queries.vm(light.getId(), t0, t0.plusSeconds(900));
        assertThat(lightView.ports()).extracting(CongestionQueries.VmPort::port, CongestionQueries.VmPort::verdict)
                .containsExactly(tuple("0/12", "bystander"), tuple("0/5", "no slow drain"));
        assertThat(lightView.ports().get(0).vmSharePercent()).isCloseTo(20.0, within(0.5));
        assertThat(lightView.ports().get(0).hoursWithSymptoms(5)).isNotEmpty();
        // the switch's own view (FOS 9.0 traffic controller) of the heavy VM, after the next poll
        fos.deviceCongestion(10, heavyWwpn.toString(), 6, "credit-stalled");
        fos.quarantine(10, heavyWwpn.toString(), true);
        poller.poll(fabric.getId(), t0.plusSeconds(660));
        assertThat(queries.vm(heavy.getId(), t0, t0.plusSeconds(900)).switchViews()).singleElement().satisfies(v -> {
            assertThat(v.congestionStates()).isEqualTo("credit-stalled");
            assertThat(v.quarantined()).isTrue();
            assertThat(v.fpinCongestionSent()).isEqualTo(6L);
        });

        // the same on the pages and in the API, for a viewer
        var viewer = user("vera").roles("VIEWER");
        String range = t0.toString();
        String until = t0.plusSeconds(900).toString();
        mvc.perform(get("/api/fabrics/{id}/congestion", fabric.getId()).param("from", range).param("to", until)
                        .with(viewer))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.ports[0].symptoms.port").value("0/12"))
                .andExpect(jsonPath("$.ports[0].devices[0].role").value("likely cause"))
                .andExpect(jsonPath("$.ports[0].devices[0].vmId").value(heavy.getId()));
        mvc.perform(get("/api/vms/{id}/congestion", heavy.getId()).param("from", range).param("to", until)
                        .with(viewer))
                .andExpect(status().isOk()).andExpect(jsonPath("$.ports[0].verdict").value("likely cause"));
        mvc.perform(get("/fabrics/{id}/congestion", fabric.getId()).param("from", range).param("to", until)
                        .with(viewer))
                .andExpect(status().isOk()).andExpect(content().string(containsString("likely cause")))
                .andExpect(content().string(containsString(heavy.getName())));
        mvc.perform(get("/vms/{id}/congestion", light.getId()).param("from", range).param("to", until).with(viewer))
                .andExpect(status().isOk()).andExpect(content().string(containsString("bystander")))
                .andExpect(content().string(containsString("array port cong-array-")));
        // a bad period is a 400 naming the field in the API, and kept beside the field on the page
        mvc.perform(get("/api/vms/{id}/congestion", light.getId()).param("from", "yesterday").with(viewer))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("from"));
        mvc.perform(get("/vms/{id}/congestion", light.getId()).param("from", "yesterday").with(viewer))
                .andExpect(status().isOk()).andExpect(content().string(containsString("value=\"yesterday\"")))
                .andExpect(content().string(containsString("is-invalid")));
        // a viewer may look, not make vfzone read the switch
        mvc.perform(post("/api/fabrics/{id}/congestion/poll", fabric.getId()).with(viewer).with(csrf()))
                .andExpect(status().isForbidden());

        // the light VM's host reports FPIN: two congestion notifications about the array port, one credit stall
        mvc.perform(get("/vms/{id}/congestion", light.getId()).with(viewer))
                .andExpect(content().string(containsString("The host does not report FPIN")));
        var collector = user("esx01").roles("COLLECTOR");
        String hostWwpn = lightWwpn.toString().replace(":", "");
        String targetWwpn = TARGET.replace(":", "");
        for (String[] reading : new String[][] {{t0.plusSeconds(60).toString(), "0x1", "0x0", "0x4"},
                {t0.plusSeconds(400).toString(), "0x3", "0x1", "0x6"}}) {
            mvc.perform(post("/api/hosts/fpin").with(collector).with(csrf())
                            .contentType("application/json").content("""
                                    {"timestamp":"%s","hosts":[{"wwpn":"%s","counters":{"fpin_cn":"%s",
                                    "fpin_cn_credit_stall":"%s","fpin_li":"0x0"},"remotePorts":[{"wwpn":"%s",
                                    "counters":{"fpin_cn":"%s"}}]}]}""".formatted(reading[0], hostWwpn, reading[1],
                                    reading[2], targetWwpn, reading[3])))
                    .andExpect(status().isAccepted()).andExpect(jsonPath("$.rows").value(2));
        }
        CongestionQueries.VmCongestion withFpin = queries.vm(light.getId(), t0.plusSeconds(120), t0.plusSeconds(900));
        assertThat(withFpin.fpinReported()).isTrue();
        assertThat(withFpin.fpin()).extracting(FpinReports.Received::remoteWwpn, FpinReports.Received::congestion,
                        FpinReports.Received::creditStall, FpinReports.Received::linkIntegrity)
                .containsExactlyInAnyOrder(tuple(null, 2L, 1L, 0L), tuple(TARGET, 2L, null, null));
        mvc.perform(get("/vms/{id}/congestion", light.getId()).param("from", t0.plusSeconds(120).toString())
                        .param("to", until).with(viewer))
                .andExpect(content().string(containsString("id=\"fpin\"")))
                .andExpect(content().string(containsString("cong-array-")));
        // a report that is not one is refused whole, naming the field
        mvc.perform(post("/api/hosts/fpin").with(collector).with(csrf()).contentType("application/json")
                        .content("{\"timestamp\":\"" + t0 + "\",\"hosts\":[{\"wwpn\":\"" + hostWwpn
                                + "\",\"counters\":{\"fpin_cn\":\"$(reboot)\"}}]}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("hosts[0].counters.fpin_cn"));
        mvc.perform(post("/api/hosts/fpin").with(viewer).with(csrf()).contentType("application/json")
                        .content("{\"timestamp\":\"" + t0 + "\",\"hosts\":[]}"))
                .andExpect(status().isForbidden());

        // out of reach: the page says so, with the last reading's time; nothing stored is lost
        fos.answerHtml(true);
        assertThat(poller.poll(fabric.getId(), t0.plusSeconds(900)).status()).isEqualTo("FAILED");
        mvc.perform(get("/fabrics/{id}/congestion", fabric.getId()).param("from", range).param("to", until)
                        .with(viewer))
                .andExpect(status().isOk()).andExpect(content().string(containsString("no data from the switch since")))
                .andExpect(content().string(containsString("likely cause")));
    }

    @Test
    void anAdminSetsTheThresholdsWhichChangeTheVerdictsAndABadValueIsRefusedBesideItsField() throws Exception {
        CiscoMdsEmulator mds = new CiscoMdsEmulator("admin", "mds-secret", 67);
        switches.add(mds);
        Fabric fabric = fixtures.mdsFabric(mds, 67, "mds-secret");
        Host host = fixtures.host();
        fixtures.adapter(host, fabric, 4, 2);
        Vm vm = vmOn(host);
        mds.login(67, activeWwpn(vm, fabric).toString(), null, "0x430001", "fc1/5", "esx NPIV", "scsi-fcp:init");
        poller.poll(fabric.getId(), t0);
        mds.port("fc1/5").slowDrain(300, 0.1, 0); // TxWait 10 %: below the default of 30 %
        poller.poll(fabric.getId(), t0.plusSeconds(300));
        assertThat(queries.vm(vm.getId(), t0, t0.plusSeconds(600)).ports().get(0).verdict()).isEqualTo("no slow drain");

        var admin = user("root").roles("ADMIN");
        try {
            mvc.perform(put("/api/congestion/settings").with(admin).with(csrf()).contentType("application/json")
                            .content("{\"txWaitPercent\":5,\"causeSharePercent\":60}"))
                    .andExpect(status().isOk()).andExpect(jsonPath("$.txWaitPercent").value(5.0))
                    .andExpect(jsonPath("$.setBy").value("root"));
            assertThat(queries.vm(vm.getId(), t0, t0.plusSeconds(600)).ports().get(0).verdict())
                    .isEqualTo("likely cause");
            mvc.perform(put("/api/congestion/settings").with(admin).with(csrf()).contentType("application/json")
                            .content("{\"txWaitPercent\":500,\"causeSharePercent\":60}"))
                    .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("txWaitPercent"));
            mvc.perform(put("/api/congestion/settings").with(user("olga").roles("OPERATOR")).with(csrf())
                            .contentType("application/json").content("{\"txWaitPercent\":1,\"causeSharePercent\":1}"))
                    .andExpect(status().isForbidden());
            mvc.perform(post("/congestion/settings").with(admin).with(csrf()).param("txWaitPercent", "lots")
                            .param("causeSharePercent", "60"))
                    .andExpect(status().isOk()).andExpect(content().string(containsString("value=\"lots\"")))
                    .andExpect(content().string(containsString("is-invalid")));
            assertThat(queries.thresholds().txWaitPercent()).isEqualTo(5.0);
        } finally {
            mvc.perform(put("/api/congestion/settings").with(admin).with(csrf()).contentType("application/json")
                    .content("{\"txWaitPercent\":30,\"causeSharePercent\":50}")).andExpect(status().isOk());
        }
    }

    long todoCount() throws Exception {
        String body = mvc.perform(get("/api/todo").with(user("vera").roles("VIEWER")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        return JsonPath.<List<Number>>read(body,
                "$.items[?(@.key == 'ports-slow-draining')].count").get(0).longValue();
    }

    @Test
    void anMdsOfTheOlderCounterFormGivesTxWaitAsAShareOfTimeAndAVmAloneOnItsPortIsTheCause() throws Exception {
        CiscoMdsEmulator mds = new CiscoMdsEmulator("admin", "mds-secret", 66);
        switches.add(mds);
        mds.countersBefore842(true);
        Fabric fabric = fixtures.mdsFabric(mds, 66, "mds-secret");
        Host host = fixtures.host();
        fixtures.adapter(host, fabric, 4, 2);
        Vm alone = vmOn(host);
        Wwn wwpn = activeWwpn(alone, fabric);
        mds.login(66, wwpn.toString(), null, "0x420001", "fc1/3", "esx NPIV", "scsi-fcp:init");
        poller.poll(fabric.getId(), t0);
        mds.port("fc1/3").slowDrain(300, 0.4, 0);
        poller.poll(fabric.getId(), t0.plusSeconds(300));

        // slow-draining in the last hour: on the to-do list, and in the overview of every fabric
        Instant now = Instant.now();
        long before = todoCount();
        poller.poll(fabric.getId(), now.minusSeconds(300));
        mds.port("fc1/3").slowDrain(300, 0.5, 4);
        poller.poll(fabric.getId(), now);
        assertThat(todoCount()).isEqualTo(before + 1);
        mvc.perform(get("/congestion").with(user("vera").roles("VIEWER")))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("data-fabric=\"" + fabric.getName() + "\"")))
                .andExpect(content().string(containsString("fc1/3")));

        CongestionQueries.VmCongestion view = queries.vm(alone.getId(), t0, t0.plusSeconds(600));
        assertThat(view.ports()).singleElement().satisfies(port -> {
            assertThat(port.port()).isEqualTo("fc1/3");
            assertThat(port.total().txWaitPercent()).isCloseTo(40.0, within(0.01));
            assertThat(port.vmSharePercent()).isEqualTo(100.0);
            assertThat(port.verdict()).isEqualTo("likely cause");
        });

        // an oversubscribed array port: every VM granted that array is affected, whatever its own port shows
        Vm reader = vmOn(host);
        Wwn readerWwpn = activeWwpn(reader, fabric);
        StorageArray array = arrays.create(new StorageArrayForm("busy-array-" + fabric.getId(), "NetApp", "", ""));
        String target = "50:0a:09:81:00:66:00:01";
        arrays.addPort(array.getId(), new TargetPortForm("0a", target, fabric.getId()));
        access.grant(reader.getId(), array.getId(), "tester");
        mds.login(66, readerWwpn.toString(), null, "0x420002", "fc1/4", "esx NPIV", "scsi-fcp:init");
        mds.login(66, target, null, "0x420100", "fc1/9", "array 0a", "scsi-fcp:target");
        Instant t1 = t0.plus(1, ChronoUnit.HOURS);
        poller.poll(fabric.getId(), t1);
        mds.port("fc1/9").slowDrain(300, 0.45, 0);
        poller.poll(fabric.getId(), t1.plusSeconds(300));
        CongestionQueries.VmCongestion affected = queries.vm(reader.getId(), t1, t1.plusSeconds(600));
        assertThat(affected.ports()).extracting(CongestionQueries.VmPort::port, CongestionQueries.VmPort::verdict)
                .containsExactly(tuple("fc1/4", "no slow drain"),
                        tuple("fc1/9", "affected: the array port it reaches is congested"));
    }
}
