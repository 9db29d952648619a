package org.vfzone.zoning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import org.assertj.core.groups.Tuple;
import org.awaitility.Awaitility;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.result.MockMvcResultMatchers;
import org.vfzone.IntegrationTest;
import org.vfzone.InventoryFixtures;
import org.vfzone.fabric.Alias;
import org.vfzone.fabric.Json;
import org.vfzone.fabric.Zone;
import org.vfzone.fabric.brocade.BrocadeFosEmulator;
import org.vfzone.fabric.cisco.CiscoMdsEmulator;
import org.vfzone.fabric.emulator.Fault;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.FabricForm;
import org.vfzone.inventory.FabricService;
import org.vfzone.inventory.Host;
import org.vfzone.inventory.StorageArray;
import org.vfzone.inventory.StorageArrayForm;
import org.vfzone.inventory.StorageArrayService;
import org.vfzone.inventory.TargetPortForm;
import org.vfzone.inventory.Vm;
import org.vfzone.inventory.VmFabricIdentity;
import org.vfzone.inventory.VmService;
import org.vfzone.inventory.ZoningPolicy;
import org.vfzone.inventory.internal.VmFabricIdentityRepository;
import org.vfzone.logins.LoginDiscovery;
import org.vfzone.logins.LoginQueries;
import org.vfzone.security.ApiTokenService;
import org.vfzone.system.RuleViolation;
import org.vfzone.wwn.Wwn;

/** Plan → approve → push → verify against emulated Brocade and Cisco switches over HTTP. */
class ZoningWorkflowTest extends IntegrationTest {

    static final int VF = 10;
    static final int VSAN = 20;
    static final String FOREIGN = "10:00:00:10:9b:ee:ee:01";

    @Autowired
    InventoryFixtures fixtures;
    @Autowired
    FabricService fabricService;
    @Autowired
    StorageArrayService arrays;
    @Autowired
    VmService vms;
    @Autowired
    StorageAccessService access;
    @Autowired
    ChangeSetService changeSets;
    @Autowired
    ChangeSetPush pushes;
    @Autowired
    VmFabricIdentityRepository identities;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MockMvc mvc;

    BrocadeFosEmulator brocade;
    CiscoMdsEmulator cisco;
    String targetA;

    @BeforeEach
    void switches() {
        brocade = new BrocadeFosEmulator("admin", "fos-secret-1", VF);
        brocade.seedAlias(VF, "oracle_host", FOREIGN);
        brocade.seedZone(VF, "prod_cfg", "manual_oracle_zone", List.of("oracle_host", "50:06:01:60:3b:a0:11:22"));
        cisco = new CiscoMdsEmulator("admin", "mds-secret-1", VSAN);
        cisco.seedZone(VSAN, "zs_prod", "manual_backup_zone", List.of(FOREIGN, "50:06:01:60:3b:a0:11:23"));
    }

    @AfterEach
    void stop() {
        brocade.close();
        cisco.close();
    }

    record Estate(Fabric fabricA, Fabric fabricB, Vm vm, StorageArray array) {
    }

    Estate estate() {
        Fabric a = fixtures.brocadeFabric(brocade, VF, "fos-secret-1");
        Fabric b = fixtures.mdsFabric(cisco, VSAN, "mds-secret-1");
        Host host = fixtures.host();
        fixtures.adapter(host, a, 8, 2);
        fixtures.adapter(host, b, 8, 2);
        Vm vm = fixtures.vm(host);
        vms.allocateIdentityAndAssignVfs(vm.getId(), fixtures.pool(16).getId(), "alice");
        StorageArray array = arrays.create(new StorageArrayForm(unique("pure"), "Pure Storage", "", ""));
        targetA = uniqueWwn();
        arrays.addPort(array.getId(), new TargetPortForm("CT0-FC0", targetA, a.getId()));
        arrays.addPort(array.getId(), new TargetPortForm("CT0-FC1", uniqueWwn(), b.getId()));
        access.grant(vm.getId(), array.getId(), "alice");
        return new Estate(a, b, vm, array);
    }

    /** Another host of the estate, cabled to both of its fabrics with VFs to spare. */
    Host hostOnBothFabrics(Estate estate) {
        Host host = fixtures.host();
        fixtures.adapter(host, estate.fabricA(), 8, 2);
        fixtures.adapter(host, estate.fabricB(), 8, 2);
        return host;
    }

    ChangeSet planApprovePush(Fabric fabric) {
        ChangeSet planned = changeSets.plan(fabric.getId(), "alice").orElseThrow();
        changeSets.approve(planned.getId(), "bob");
        pushes.startPush(planned.getId(), "bob");
        return pushes.push(planned.getId(), "bob");
    }

    @Test
    void aGrantBecomesVerifiedZonesOnBothVendorsAndForeignZonesStay() {
        Estate estate = estate();
        VmFabricIdentity pairA = identities.findByVmIdAndFabricId(estate.vm().getId(), estate.fabricA().getId())
                .orElseThrow();

        ChangeSet planned = changeSets.plan(estate.fabricA().getId(), "alice").orElseThrow();
        assertThat(planned.getStatus()).isEqualTo(ChangeSetStatus.PLANNED);
        assertThat(planned.getConfigName()).isEqualTo("prod_cfg");
        StoredPlan stored = changeSets.stored(planned);
        assertThat(stored.plan().rows()).extracting((ZonePlanner.ReviewRow r) -> r.action().name(), (ZonePlanner.ReviewRow r) -> r.kind().toString())
                .containsExactlyInAnyOrder(Tuple.tuple("ADD", "alias"),
                        Tuple.tuple("ADD", "alias"),
                        Tuple.tuple("ADD", "alias"),
                        Tuple.tuple("ADD", "zone"),
                        Tuple.tuple("CHANGE", "config"),
                        Tuple.tuple("ACTIVATE", "config"));
        assertThat(stored.preview()).anyMatch(line -> line.startsWith("PATCH /rest/running/brocade-zone/"
                + "effective-configuration?vf-id=10"));
        assertThat(stored.cliScript()).anyMatch(line -> line.startsWith("zonecreate \"vfz_"));

        assertThatThrownBy(() -> changeSets.approve(planned.getId(), "alice"))
                .isInstanceOf(RuleViolation.class).hasMessageContaining("another approver must approve it");
        assertThatThrownBy(() -> pushes.startPush(planned.getId(), "alice"))
                .hasMessageContaining("only an approved change set can be pushed");
        changeSets.approve(planned.getId(), "bob");
        pushes.startPush(planned.getId(), "bob");
        ChangeSet done = pushes.push(planned.getId(), "bob");

        assertThat(done.getStatus()).isEqualTo(ChangeSetStatus.DONE);
        assertThat(done.getOutcome()).isEqualTo(ChangeSet.Outcome.COMMITTED);
        String zone = "vfz_" + estate.vm().getName() + "_" + estate.array().getName();
        Map<String, List<String>> effective = brocade.effectiveZones(VF);
        assertThat(effective.get(zone)).containsExactlyInAnyOrder(pairA.getActiveWwpn().toString(),
                pairA.getStandbyWwpn().toString(), targetA);
        assertThat(effective.get("manual_oracle_zone")).containsExactly(FOREIGN, "50:06:01:60:3b:a0:11:22");
        assertThat(brocade.effectiveCfg(VF)).isEqualTo("prod_cfg");

        ChangeSet ciscoDone = planApprovePush(estate.fabricB());
        assertThat(ciscoDone.getStatus()).isEqualTo(ChangeSetStatus.DONE);
        assertThat(cisco.activeZones(VSAN)).containsKeys(zone, "manual_backup_zone");
        assertThat(cisco.activeZones(VSAN).get(zone)).hasSize(3);

        // a change set holds its fabric by id; the list still sorts by the fabric's name, either way
        for (String direction : List.of("asc", "desc")) {
            List<String> names = changeSets.search(null, null, null, false,
                            PageRequest.of(0, 500,
                                    ChangeSetService.sort("fabric," + direction)))
                    .map(changeSets::fabricName).getContent();
            assertThat(names).contains(estate.fabricA().getName(), estate.fabricB().getName());
            assertThat(names).isSortedAccordingTo("asc".equals(direction) ? String.CASE_INSENSITIVE_ORDER
                    : String.CASE_INSENSITIVE_ORDER.reversed());
        }

        // nothing left to do, on either fabric
        assertThat(changeSets.plan(estate.fabricA().getId(), "alice")).isEmpty();
        assertThat(changeSets.plan(estate.fabricB().getId(), "alice")).isEmpty();

        // every step is in the append-only audit trail, which the database will not let anyone rewrite
        assertThat(jdbc.queryForList("select action from audit_event where object_type = 'change_set' and object_id = ? order by id",
                String.class, done.getId())).containsExactly("PLAN", "APPROVE", "PUSH", "VERIFIED");
        assertThatThrownBy(() -> jdbc.update("update audit_event set actor = 'mallory'"))
                .rootCause().hasMessageContaining("the audit trail is append-only: UPDATE is not allowed");
        assertThatThrownBy(() -> jdbc.update("delete from audit_event"))
                .rootCause().hasMessageContaining("the audit trail is append-only: DELETE is not allowed");
    }

    @Test
    void revokingAccessRemovesOnlyVfzonesZonesAndAliases() {
        Estate estate = estate();
        planApprovePush(estate.fabricA());
        access.revoke(estate.vm().getId(), access.of(estate.vm().getId()).get(0).id(), "alice");

        ChangeSet removal = planApprovePush(estate.fabricA());
        assertThat(removal.getStatus()).isEqualTo(ChangeSetStatus.DONE);
        assertThat(brocade.effectiveZones(VF)).containsOnlyKeys("manual_oracle_zone");
        assertThat(brocade.definedAliases(VF)).containsExactly("oracle_host");
    }

    @Test
    void theSecondOfTwoChangeSetsPlannedOnTheSameStateIsCancelledOnceThePushDidItsWorkAndAMovedFabricGoesStale() {
        Estate estate = estate();
        ChangeSet first = changeSets.plan(estate.fabricA().getId(), "alice").orElseThrow();
        ChangeSet second = changeSets.plan(estate.fabricA().getId(), "alice").orElseThrow();
        changeSets.approve(first.getId(), "bob");
        changeSets.approve(second.getId(), "bob");
        pushes.startPush(first.getId(), "bob");
        assertThatThrownBy(() -> pushes.startPush(second.getId(), "bob"))
                .hasMessageContaining("is being pushed to fabric");
        assertThat(pushes.push(first.getId(), "bob").getStatus()).isEqualTo(ChangeSetStatus.DONE);
        // planned again in place against what the push left: nothing is left for it to do
        ChangeSet done = changeSets.get(second.getId());
        assertThat(done.getStatus()).isEqualTo(ChangeSetStatus.CANCELLED);
        assertThat(done.getResultMessage()).contains("already holds what this one would change");

        // a fabric changed by hand between approval and push: the push writes nothing and says to plan again
        StorageArray another = arrays.create(new StorageArrayForm(unique("dell"), "Dell", "", ""));
        arrays.addPort(another.getId(), new TargetPortForm("SPA-0", uniqueWwn(), estate.fabricA().getId()));
        access.grant(estate.vm().getId(), another.getId(), "alice");
        ChangeSet third = changeSets.plan(estate.fabricA().getId(), "alice").orElseThrow();
        changeSets.approve(third.getId(), "bob");
        brocade.seedZone(VF, "prod_cfg", "manual_hand_zone", List.of("10:00:00:10:9b:ee:ee:0a",
                "50:06:01:60:3b:a0:11:22"));
        pushes.startPush(third.getId(), "bob");
        ChangeSet stale = pushes.push(third.getId(), "bob");
        assertThat(stale.getStatus()).isEqualTo(ChangeSetStatus.STALE);
        assertThat(stale.getOutcome()).isEqualTo(ChangeSet.Outcome.NOTHING_WRITTEN);
        assertThat(stale.getResultMessage()).contains("plan the fabric again");
    }

    @Test
    void aCommitWhoseAnswerIsLostIsReadBackAsCommitted() {
        Estate estate = estate();
        brocade.faults().add("PATCH", "effective-configuration", "cfg-name", 1, 1, Fault.DROP_AFTER_PROCESSING);
        ChangeSet result = planApprovePush(estate.fabricA());
        assertThat(result.getStatus()).isEqualTo(ChangeSetStatus.DONE);
        assertThat(result.getOutcome()).isEqualTo(ChangeSet.Outcome.COMMITTED);
        assertThat(result.getResultMessage()).contains("read-back shows the change fully committed");
    }

    @Test
    void aCommitThatNeverArrivesIsAbortedAndReportedAsRolledBack() {
        Estate estate = estate();
        brocade.faults().add("PATCH", "effective-configuration", "cfg-name", 1, 1, Fault.HANG);
        ChangeSet result = planApprovePush(estate.fabricA());
        assertThat(result.getStatus()).isEqualTo(ChangeSetStatus.FAILED);
        assertThat(result.getOutcome()).isEqualTo(ChangeSet.Outcome.ROLLED_BACK);
        assertThat(result.getResultMessage()).contains("did not answer").contains("fabric is unchanged");
        assertThat(brocade.transactionOpen(VF)).isFalse();
        assertThat(brocade.effectiveZones(VF)).containsOnlyKeys("manual_oracle_zone");
    }

    @Test
    void aBusyFabricLeavesTheChangeSetApprovedForARetry() {
        Estate estate = estate();
        ChangeSet planned = changeSets.plan(estate.fabricB().getId(), "alice").orElseThrow();
        changeSets.approve(planned.getId(), "bob");
        cisco.lockBy(VSAN, "jdoe");
        pushes.startPush(planned.getId(), "bob");
        ChangeSet busy = pushes.push(planned.getId(), "bob");
        assertThat(busy.getStatus()).isEqualTo(ChangeSetStatus.APPROVED);
        assertThat(busy.getResultMessage()).contains("Fabric busy").contains("jdoe");

        cisco.faults().clear();
        // the other admin commits their (empty) session; the retry goes through
        cisco.lockBy(VSAN, null);
        pushes.startPush(planned.getId(), "bob");
        assertThat(pushes.push(planned.getId(), "bob").getStatus()).isEqualTo(ChangeSetStatus.DONE);
    }

    @Autowired
    DriftDetector drift;

    @Test
    void aZoneRemovedOutsideVfzoneIsDetectedAsDriftAndRepairedByTheNextPlan() {
        Estate estate = estate();
        planApprovePush(estate.fabricA());
        assertThat(drift.check(estate.fabricA().getId()).status()).isEqualTo(DriftDetector.Status.IN_SYNC);

        String zone = "vfz_" + estate.vm().getName() + "_" + estate.array().getName();
        brocade.deleteZoneByHand(VF, zone);
        DriftDetector.Result result = drift.check(estate.fabricA().getId());
        assertThat(result.status()).isEqualTo(DriftDetector.Status.DRIFT);
        assertThat(result.problems()).containsExactly("zone " + zone + " removed from the fabric outside vfzone");
        assertThat(drift.ofVm(estate.vm().getId())).extracting(DriftDetector.VmDrift::zoneName).containsExactly(zone);
        assertThat(drift.problems()).extracting(DriftDetector.FabricDrift::fabricId)
                .contains(estate.fabricA().getId());

        ChangeSet repair = planApprovePush(estate.fabricA());
        assertThat(repair.getStatus()).isEqualTo(ChangeSetStatus.DONE);
        assertThat(drift.check(estate.fabricA().getId()).status()).isEqualTo(DriftDetector.Status.IN_SYNC);
        assertThat(drift.ofVm(estate.vm().getId())).isEmpty();
    }

    @Test
    void aZoneMemberSwappedForAnotherAliasOfTheSameWwpnIsDrift() {
        Estate estate = estate();
        planApprovePush(estate.fabricA());
        VmFabricIdentity pair = identities.findByVmIdAndFabricId(estate.vm().getId(), estate.fabricA().getId())
                .orElseThrow();
        String zone = "vfz_" + estate.vm().getName() + "_" + estate.array().getName();
        // same WWPN, another name: the zone still resolves the same today, but no longer follows vfzone's alias
        brocade.seedAlias(VF, "hand_made_alias", pair.getActiveWwpn().toString());
        brocade.replaceZoneMemberByHand(VF, zone, "vfz_" + estate.vm().getName() + "_act", "hand_made_alias");
        DriftDetector.Result result = drift.check(estate.fabricA().getId());
        assertThat(result.status()).isEqualTo(DriftDetector.Status.DRIFT);
        assertThat(result.problems()).singleElement().asString().contains("members renamed outside vfzone")
                .contains("hand_made_alias");
    }

    @Test
    void driftNamesTheMissingAndTheExtraMemberWithItsAliasAndWhatVfzoneKnowsItAs() {
        Estate estate = estate();
        planApprovePush(estate.fabricA());
        String active = identities.findByVmIdAndFabricId(estate.vm().getId(), estate.fabricA().getId()).orElseThrow()
                .getActiveWwpn().toString();
        String zone = "vfz_" + estate.vm().getName() + "_" + estate.array().getName();
        brocade.replaceZoneMemberByHand(VF, zone, "vfz_" + estate.vm().getName() + "_act", "10:00:00:10:9b:ee:ee:55");

        DriftDetector.Result result = drift.check(estate.fabricA().getId());
        assertThat(result.problems()).containsExactly("zone " + zone + " members changed outside vfzone: missing "
                + active + " (alias vfz_" + estate.vm().getName() + "_act, active WWPN of VM " + estate.vm().getName()
                + " on fabric " + estate.fabricA().getName() + "); extra 10:00:00:10:9b:ee:ee:55 (unknown to vfzone)");
    }

    @Test
    void aLostStatusAnswerAfterAnMdsCommitKeepsTheDeviceAliasesAndDriftChecksThem() {
        Estate estate = estate();
        // the plan, the approval's check, the read kept before the push and the push each read the status once; the
        // commit goes through; the status poll after it is lost
        cisco.faults().add("POST", "/ins", "show zone status", 5, 1, Fault.DROP_AFTER_PROCESSING);
        ChangeSet pushed = planApprovePush(estate.fabricB());
        cisco.faults().clear();
        assertThat(pushed.getStatus()).as(pushed.getResultMessage()).isEqualTo(ChangeSetStatus.DONE);
        assertThat(pushed.getOutcome()).isEqualTo(ChangeSet.Outcome.COMMITTED);
        assertThat(cisco.missingDeviceAliases(VSAN)).isEmpty();
        assertThat(drift.check(estate.fabricB().getId()).status()).isEqualTo(DriftDetector.Status.IN_SYNC);

        String alias = "vfz_" + estate.vm().getName() + "_act";
        cisco.deleteDeviceAliasByHand(alias);
        DriftDetector.Result result = drift.check(estate.fabricB().getId());
        assertThat(result.status()).isEqualTo(DriftDetector.Status.DRIFT);
        assertThat(result.problems()).contains("alias " + alias + " removed from the fabric outside vfzone");
    }

    @Test
    void onlyAnAdminResolvesAStuckChangeSetAndOnlyWhenItsNodeIsGoneOrItIsOverdue() throws Exception {
        Estate estate = estate();
        ChangeSet planned = changeSets.plan(estate.fabricA().getId(), "alice").orElseThrow();
        changeSets.approve(planned.getId(), "bob");
        pushes.startPush(planned.getId(), "bob");
        mvc.perform(post("/api/changes/{id}/resolve", planned.getId()).with(user("olga").roles("APPROVER")))
                .andExpect(status().isForbidden());
        // claimed by this very node, which is running: not stuck
        mvc.perform(post("/api/changes/{id}/resolve", planned.getId()).with(user("root").roles("ADMIN")))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail").value(containsString("still being pushed by a running node")));
        jdbc.update("update change_set set push_node = 'gone-node' where id = ?", planned.getId());
        mvc.perform(post("/api/changes/{id}/resolve", planned.getId()).with(user("root").roles("ADMIN")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("FAILED"))
                .andExpect(jsonPath("$.outcome").value("ROLLED_BACK"))
                .andExpect(jsonPath("$.resultMessage").value(containsString("Resolved by root after a read-back")));
        // the fabric is free again
        ChangeSet next = changeSets.plan(estate.fabricA().getId(), "alice").orElseThrow();
        changeSets.approve(next.getId(), "bob");
        assertThat(pushes.pushApproved(next.getId(), "bob", true).getStatus()).isEqualTo(ChangeSetStatus.DONE);
    }

    @Autowired
    ApiTokenService tokens;

    @Test
    void aChangeSetPlannedWithAnApiTokenCountsAsPlannedByTheTokensCreator() throws Exception {
        Estate estate = estate();
        String token = tokens.create(unique("robot"), "OPERATOR", "bob").token();
        String body = mvc.perform(post("/api/fabrics/{id}/plan", estate.fabricA().getId())
                        .header("Authorization", "Bearer " + token))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        long id = Json.MAPPER.readTree(body).path("id").asLong();
        mvc.perform(post("/api/changes/{id}/approve", id).with(user("BOB").roles("APPROVER")))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail").value(containsString("with your API token")));
        mvc.perform(post("/api/changes/{id}/approve", id).with(user("carol").roles("APPROVER")))
                .andExpect(status().isOk());
    }

    @Test
    void anArrayVmsMayReachIsDeletedOnlyWithItsGrantsRevokedAndThePlanRemovesTheirZones() throws Exception {
        Estate estate = estate();
        planApprovePush(estate.fabricA());
        var admin = user("root").roles("ADMIN");
        long port = jdbc.queryForObject("select id from target_port where array_id = ? and fabric_id = ?", Long.class,
                estate.array().getId(), estate.fabricA().getId());
        mvc.perform(delete("/api/target-ports/{id}", port).with(admin).with(csrf()))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail").value(containsString(estate.vm().getName())));
        mvc.perform(delete("/api/arrays/{id}", estate.array().getId()).with(admin).with(csrf()))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail").value(containsString("reachable by 1 VM(s): " + estate.vm().getName())));
        assertThat(access.of(estate.vm().getId())).hasSize(1);

        mvc.perform(delete("/api/arrays/{id}", estate.array().getId()).param("revokeGrants", "true").with(admin)
                .with(csrf())).andExpect(status().isNoContent());
        assertThat(access.of(estate.vm().getId())).isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'REVOKE_ACCESS' and "
                + "object_id = ? and summary like '%revoked with the array%'", Long.class, estate.vm().getId()))
                .isEqualTo(1);
        ChangeSet removal = changeSets.plan(estate.fabricA().getId(), "alice").orElseThrow();
        assertThat(changeSets.stored(removal).plan().change().removeZones())
                .containsExactly("vfz_" + estate.vm().getName() + "_" + estate.array().getName());
    }

    @Test
    void aPlanScopedToOneVmChangesOnlyItsZonesOnEachFabricAndLeavesTheRestAsTheyAre() throws Exception {
        Estate estate = estate();
        Host host = hostOnBothFabrics(estate);
        Vm second = fixtures.vm(host);
        vms.allocateIdentityAndAssignVfs(second.getId(), fixtures.pool(16).getId(), "alice");
        access.grant(second.getId(), estate.array().getId(), "alice");
        String firstZone = "vfz_" + estate.vm().getName() + "_" + estate.array().getName();
        String secondZone = "vfz_" + second.getName() + "_" + estate.array().getName();
        var operator = user("olga").roles("OPERATOR");
        discovery.discover(estate.fabricA().getId()); // plans then also warn about WWPNs not logged in

        // the fabric API scoped to the first VM: only its zone
        String planned = mvc.perform(post("/api/fabrics/{id}/plan", estate.fabricA().getId()).with(operator)
                        .with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"vmIds\": [" + estate.vm().getId() + "]}"))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.rows[?(@.kind == 'zone')].name").value(Matchers.contains(firstZone)))
                .andExpect(jsonPath("$.scope").value("only VM(s) " + estate.vm().getName()))
                .andReturn().getResponse().getContentAsString();
        long firstOnA = Long.parseLong(planned.replaceAll("^\\{\"id\":(\\d+),.*$", "$1"));
        changeSets.approve(firstOnA, "bob");
        pushes.startPush(firstOnA, "bob");
        assertThat(pushes.push(firstOnA, "bob").getStatus()).isEqualTo(ChangeSetStatus.DONE);
        assertThat(brocade.definedZones(VF)).contains(firstZone).doesNotContain(secondZone);

        // the second VM on every fabric: one change set each, only its zone
        mvc.perform(post("/api/vms/{id}/plan", second.getId()).with(operator).with(csrf()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(2))
                .andExpect(jsonPath("$[0].changeSetId").isNumber())
                .andExpect(jsonPath("$[1].changeSetId").isNumber());
        long secondOnA = jdbc.queryForObject("select id from change_set where fabric_id = ? order by id desc limit 1",
                Long.class, estate.fabricA().getId());
        assertThat(changeSets.stored(changeSets.get(secondOnA)).plan().change().addZones()).extracting(Zone::name)
                .containsExactly(secondZone);
        assertThat(changeSets.stored(changeSets.get(secondOnA)).plan().change().removeZones()).isEmpty();
        changeSets.approve(secondOnA, "bob");
        pushes.startPush(secondOnA, "bob");
        assertThat(pushes.push(secondOnA, "bob").getStatus()).isEqualTo(ChangeSetStatus.DONE);
        assertThat(brocade.definedZones(VF)).contains(firstZone, secondZone);
        assertThat(jdbc.queryForList("select name from owned_zone_object where fabric_id = ? and kind = 'ZONE'",
                String.class, estate.fabricA().getId())).containsExactlyInAnyOrder(firstZone, secondZone);
        assertThat(changeSets.plan(estate.fabricA().getId(), "alice")).as("the fabric is as granted").isEmpty();
    }

    @Test
    void aVmPlannedOnBothFabricsCarriesItsReasonAndIsApprovedInOneActionByAnApproverWhoFindsItAwaitingThem()
            throws Exception {
        Estate estate = estate();
        var operator = user("olga").roles("OPERATOR");
        var approver = user("bob").roles("APPROVER");
        var json = MediaType.APPLICATION_JSON;

        mvc.perform(post("/api/vms/{id}/plan", estate.vm().getId()).with(operator).with(csrf()).contentType(json)
                        .content("{\"ticket\": \"CHG 1; $(reboot)\"}"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("ticket"));
        mvc.perform(post("/api/vms/{id}/plan", estate.vm().getId()).with(operator).with(csrf()).contentType(json)
                        .content("{\"reason\": \"bad\\u0000reason\"}"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("reason"));
        assertThat(changeSets.search(null, estate.fabricA().getId(), Pageable.unpaged())
                .getContent()).as("nothing planned by a refused request").isEmpty();

        String plans = mvc.perform(post("/api/vms/{id}/plan", estate.vm().getId()).with(operator).with(csrf())
                        .contentType(json).content("{\"reason\": \"LUNs for the new \u201cledger\u201d DB\", "
                                + "\"ticket\": \"CHG0012345\"}"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.length()").value(2))
                .andReturn().getResponse().getContentAsString();
        List<Long> ids = JsonPath.<List<Number>>read(plans, "$[*].changeSetId").stream()
                .map(Number::longValue).toList();
        mvc.perform(get("/api/changes/{id}", ids.get(0)).with(approver))
                .andExpect(jsonPath("$.reason").value("LUNs for the new \u201cledger\u201d DB"))
                .andExpect(jsonPath("$.ticket").value("CHG0012345"))
                .andExpect(jsonPath("$.planBatch").value(changeSets.get(ids.get(1)).getPlanBatch().toString()));
        assertThat(jdbc.queryForObject("select summary from audit_event where object_type = 'change_set' "
                + "and object_id = ? and action = 'PLAN'", String.class, ids.get(0)))
                .endsWith("reason: LUNs for the new \u201cledger\u201d DB (ticket CHG0012345)");

        mvc.perform(get("/api/changes").param("awaiting", "me").with(approver))
                .andExpect(jsonPath("$[*].id").value(Matchers.hasItems(ids.get(0).intValue(),
                        ids.get(1).intValue())));
        mvc.perform(get("/api/changes").param("awaiting", "me").with(user("olga").roles("APPROVER")))
                .andExpect(jsonPath("$[*].id").value(Matchers.not(Matchers.hasItem(
                        ids.get(0).intValue()))));
        mvc.perform(get("/changes").param("awaiting", "me").with(approver))
                .andExpect(content().string(containsString("/changes/" + ids.get(1) + "\"")))
                .andExpect(content().string(containsString("CHG0012345")));

        // the planner cannot approve the batch (four eyes): nothing is approved
        mvc.perform(post("/api/changes/{id}/approve-batch", ids.get(0)).with(user("olga").roles("APPROVER"))
                        .with(csrf()))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail").value(containsString("You planned change set " + ids.get(0))));
        assertThat(changeSets.get(ids.get(1)).getStatus()).isEqualTo(ChangeSetStatus.PLANNED);

        mvc.perform(post("/api/changes/{id}/approve-batch", ids.get(1)).with(approver).with(csrf()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[*].status").value(Matchers.contains("APPROVED", "APPROVED")));
        assertThat(ids).allSatisfy(id -> assertThat(changeSets.get(id).getApprovedBy()).isEqualTo("bob"));
    }

    @Test
    void anApprovedChangeWindowRefusesAPushBeforeItOpensAndPushesByItselfAsTheApproverOnceOpen() throws Exception {
        Estate estate = estate();
        ChangeSet later = changeSets.plan(estate.fabricA().getId(), ChangeSetService.PlanScope.WHOLE_FABRIC, "alice",
                ChangeReason.of("quarterly maintenance", null), null).orElseThrow();
        Instant now = Instant.now();
        mvc.perform(post("/api/changes/{id}/approve", later.getId()).with(user("bob").roles("APPROVER")).with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"windowStart\": \"" + now.plusSeconds(7200) + "\", \"windowEnd\": \""
                                + now.plusSeconds(3600) + "\"}"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("windowEnd"));
        changeSets.approve(later.getId(), "bob", ChangeSetService.ApprovalWindow.of(now.plusSeconds(3600),
                now.plusSeconds(7200), true, now));
        mvc.perform(post("/api/changes/{id}/push", later.getId()).with(user("carol").roles("OPERATOR")).with(csrf()))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail").value(containsString("only in its change window")));
        pushes.pushInOpenWindows();
        assertThat(changeSets.get(later.getId()).getStatus()).as("not open yet").isEqualTo(ChangeSetStatus.APPROVED);

        // the window is open: vfzone pushes it as the approver
        jdbc.update("update change_set set window_start = now() - interval '1 minute' where id = ?", later.getId());
        pushes.pushInOpenWindows();
        ChangeSet pushed = changeSets.get(later.getId());
        assertThat(pushed.getStatus()).isEqualTo(ChangeSetStatus.DONE);
        assertThat(pushed.getPushedBy()).isEqualTo("bob");

        // a window that closed unpushed cancels the change set, saying so
        access.revoke(estate.vm().getId(), access.of(estate.vm().getId()).get(0).id(), "alice");
        ChangeSet missed = changeSets.plan(estate.fabricA().getId(), "alice").orElseThrow();
        changeSets.approve(missed.getId(), "bob", ChangeSetService.ApprovalWindow.of(now.plusSeconds(60),
                now.plusSeconds(120), false, now));
        jdbc.update("update change_set set window_start = now() - interval '2 hours', window_end = now() - interval "
                + "'1 hour' where id = ?", missed.getId());
        pushes.pushInOpenWindows();
        assertThat(changeSets.get(missed.getId()).getStatus()).isEqualTo(ChangeSetStatus.CANCELLED);
        assertThat(changeSets.get(missed.getId()).getResultMessage()).contains("change window closed");
    }

    long todoCount(String key) throws Exception {
        String body = mvc.perform(get("/api/todo").with(user("vera").roles("VIEWER")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        return JsonPath.<List<Number>>read(body, "$.items[?(@.key == '" + key + "')].count")
                .get(0).longValue();
    }

    int listed(String url) throws Exception {
        String body = mvc.perform(get(url).param("size", "200").with(user("vera").roles("VIEWER")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        return JsonPath.<List<Object>>read(body, "$[*].id").size();
    }

    @Test
    void theToDoListCountsGrantsWithoutAZoneAndChangeSetsThatNeedAPersonAndItsLinksListExactlyThose() throws Exception {
        long unzonedBefore = todoCount("grants-not-zoned");
        Estate estate = estate();
        String vmCell = ">" + estate.vm().getName() + "</a>";
        assertThat(todoCount("grants-not-zoned")).as("the new grant, on both fabrics").isEqualTo(unzonedBefore + 2);
        String page = mvc.perform(get("/zoning/unzoned").with(user("vera").roles("VIEWER")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page.split(Pattern.quote(vmCell), -1)).as("listed once per fabric").hasSize(3);

        planApprovePush(estate.fabricA());
        assertThat(todoCount("grants-not-zoned")).as("zoned on fabric A now").isEqualTo(unzonedBefore + 1);

        // approved and not pushed, then stale once the fabric moves: each counted where its link lists it
        long approvedBefore = todoCount("changes-approved");
        ChangeSet onB = changeSets.plan(estate.fabricB().getId(), "alice").orElseThrow();
        changeSets.approve(onB.getId(), "bob");
        assertThat(todoCount("changes-approved")).isEqualTo(approvedBefore + 1)
                .isEqualTo(listed("/api/changes?status=APPROVED"));
        long staleBefore = todoCount("changes-stale");
        cisco.seedZone(VSAN, "zs_prod", "manual_hand_zone", List.of("10:00:00:10:9b:ee:ee:0b", "50:06:01:60:3b:a0:11:24"));
        pushes.startPush(onB.getId(), "bob");
        assertThat(pushes.push(onB.getId(), "bob").getStatus()).isEqualTo(ChangeSetStatus.STALE);
        assertThat(todoCount("changes-stale")).isEqualTo(staleBefore + 1)
                .isEqualTo(listed("/api/changes?status=STALE&attention=true"));
        assertThat(todoCount("changes-approved")).isEqualTo(approvedBefore);

        // planned again and pushed: the stale one is behind the fabric's last push and leaves the list
        ChangeSet again = changeSets.replan(onB.getId(), "alice").orElseThrow();
        changeSets.approve(again.getId(), "bob");
        pushes.startPush(again.getId(), "bob");
        assertThat(pushes.push(again.getId(), "bob").getStatus()).isEqualTo(ChangeSetStatus.DONE);
        assertThat(todoCount("changes-stale")).isEqualTo(staleBefore)
                .isEqualTo(listed("/api/changes?status=STALE&attention=true"));
        assertThat(todoCount("grants-not-zoned")).isEqualTo(unzonedBefore);
        mvc.perform(get("/").with(user("vera").roles("VIEWER")))
                .andExpect(content().string(containsString("data-key=\"grants-not-zoned\"")));
    }

    @Test
    void everyPushKeepsTheZoningAroundItAndAnUndoPlansTheReverseNamingALaterPushOfTheSameZone() throws Exception {
        Estate estate = estate();
        String zone = "vfz_" + estate.vm().getName() + "_" + estate.array().getName();
        long fabricA = estate.fabricA().getId();
        var viewer = user("vera").roles("VIEWER");
        var operator = user("olga").roles("OPERATOR");
        ChangeSet first = planApprovePush(estate.fabricA());

        String listed = mvc.perform(get("/api/fabrics/{id}/zoning-history", fabricA).with(viewer))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[0].changeSetId").value(first.getId()))
                .andExpect(jsonPath("$[0].phase").value("AFTER"))
                .andExpect(jsonPath("$[1].changeSetId").value(first.getId()))
                .andExpect(jsonPath("$[1].phase").value("BEFORE"))
                .andReturn().getResponse().getContentAsString();
        long after = JsonPath.<Number>read(listed, "$[0].id").longValue();
        long before = JsonPath.<Number>read(listed, "$[1].id").longValue();
        mvc.perform(get("/api/fabrics/{id}/zoning-history/{s}", fabricA, before).with(viewer))
                .andExpect(jsonPath("$.zoning.zones['manual_oracle_zone']").exists())
                .andExpect(jsonPath("$.zoning.zones['" + zone + "']").doesNotExist());
        mvc.perform(get("/api/fabrics/{id}/zoning-history/{s}", fabricA, after).with(viewer))
                .andExpect(jsonPath("$.zoning.zones['" + zone + "'].members.length()").value(3))
                .andExpect(jsonPath("$.vfzoneZones").value(Matchers.contains(zone)));
        mvc.perform(get("/api/fabrics/{id}/zoning-history/{s}", estate.fabricB().getId(), after).with(viewer))
                .andExpect(status().isNotFound());
        mvc.perform(get("/api/fabrics/{id}/zoning-history/{s}/cli", fabricA, after).with(viewer))
                .andExpect(content().string(containsString("zonecreate \"" + zone + "\"")))
                .andExpect(content().string(Matchers.not(containsString("manual_oracle_zone"))));
        mvc.perform(get("/fabrics/{id}/zoning-history/{s}.json", fabricA, after).with(viewer))
                .andExpect(status().isOk())
                .andExpect(MockMvcResultMatchers.header()
                        .string("Content-Disposition", containsString("attachment")));

        // a later push changes the same zone: a second target port of the array on fabric A
        arrays.addPort(estate.array().getId(), new TargetPortForm("CT1-FC0", uniqueWwn(), fabricA));
        ChangeSet later = planApprovePush(estate.fabricA());
        assertThat(changeSets.stored(later).plan().change().replaceZones()).extracting(Zone::name).contains(zone);

        String undo = mvc.perform(post("/api/changes/{id}/undo", first.getId()).with(operator).with(csrf()))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.scope").value("undo of change set " + first.getId()))
                .andExpect(jsonPath("$.reason").value("Undo of change set " + first.getId()))
                .andExpect(jsonPath("$.rows[?(@.kind == 'zone')].action").value(Matchers.contains("REMOVE")))
                .andExpect(jsonPath("$.warnings").value(Matchers.hasItem(containsString(
                        "Change set " + later.getId() + ", pushed later, also changed " + zone))))
                .andReturn().getResponse().getContentAsString();
        long undoId = JsonPath.<Number>read(undo, "$.id").longValue();
        changeSets.approve(undoId, "bob");
        pushes.startPush(undoId, "bob");
        ChangeSet undone = pushes.push(undoId, "bob");
        assertThat(undone.getStatus()).as(undone.getResultMessage()).isEqualTo(ChangeSetStatus.DONE);
        assertThat(brocade.definedZones(VF)).doesNotContain(zone).contains("manual_oracle_zone");
        assertThat(jdbc.queryForList("select name from owned_zone_object where fabric_id = ? and kind = 'ZONE'",
                String.class, fabricA)).doesNotContain(zone);

        // undoing the undo brings the zone back as the later push left it, and vfzone owns it again
        ChangeSet redo = changeSets.undo(undoId, "olga", ChangeReason.NONE).orElseThrow();
        changeSets.approve(redo.getId(), "bob");
        pushes.startPush(redo.getId(), "bob");
        ChangeSet redone = pushes.push(redo.getId(), "bob");
        assertThat(redone.getStatus()).as(redone.getResultMessage()).isEqualTo(ChangeSetStatus.DONE);
        assertThat(brocade.effectiveZones(VF).get(zone)).as("both VM WWPNs and both target ports").hasSize(4);
        assertThat(jdbc.queryForObject("select vm_id from owned_zone_object where fabric_id = ? and name = ?",
                Long.class, fabricA, zone)).isEqualTo(estate.vm().getId());
        assertThat(changeSets.plan(fabricA, "alice")).as("the fabric is as granted again").isEmpty();
        mvc.perform(post("/api/changes/{id}/undo", redo.getId() + 1_000_000).with(operator).with(csrf()))
                .andExpect(status().isNotFound());
        ChangeSet open = changeSets.plan(estate.fabricB().getId(), "alice").orElseThrow();
        mvc.perform(post("/api/changes/{id}/undo", open.getId()).with(operator).with(csrf()))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail").value(containsString("only a pushed change set")));
    }

    @Test
    void aConnectionTestWalksEveryStepAndSaysWhichFailedAndWhyWithoutThePassword() throws Exception {
        Estate estate = estate();
        var operator = user("olga").roles("OPERATOR");
        var json = MediaType.APPLICATION_JSON;
        mvc.perform(post("/api/fabrics/{id}/test-connection", estate.fabricA().getId()).with(operator).with(csrf()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.ok").value(true))
                .andExpect(jsonPath("$.steps[*].step").value(Matchers.contains("reach the address",
                        "TLS and pin", "sign in", "virtual fabric or VSAN", "read the zoning")))
                .andExpect(jsonPath("$.steps[1].outcome").value("WARNING"))
                .andExpect(jsonPath("$.steps[2].detail").value(containsString("firmware v9.1.1b")))
                .andExpect(jsonPath("$.steps[3].detail").value(containsString("virtual fabric " + VF)))
                .andExpect(jsonPath("$.steps[4].detail").value(containsString("1 zone, ")));
        cisco.nxosVersion("9.2(2)");
        mvc.perform(post("/api/fabrics/{id}/test-connection", estate.fabricB().getId()).with(operator).with(csrf()))
                .andExpect(jsonPath("$.ok").value(true))
                .andExpect(jsonPath("$.steps[2].detail").value(containsString("firmware 9.2(2)")))
                .andExpect(jsonPath("$.steps[3].detail").value(containsString("VSAN " + VSAN)))
                .andExpect(jsonPath("$.steps[3].detail").value(containsString(
                        "zoning enhanced mode, device-aliases enhanced mode")));

        // settings typed in the form, not saved: a wrong password stops at sign in and is never echoed
        String wrong = "{\"vendor\": \"brocade-fos-rest\", \"managementUrl\": \"" + brocade.baseUrl()
                + "\", \"managementUsername\": \"admin\", \"managementPassword\": \"n0t-the-$(password)\", "
                + "\"virtualFabricId\": " + VF + "}";
        String answer = mvc.perform(post("/api/fabrics/test-connection").with(operator).with(csrf())
                        .contentType(json).content(wrong))
                .andExpect(jsonPath("$.ok").value(false))
                .andExpect(jsonPath("$.steps[2].outcome").value("FAILED"))
                .andExpect(jsonPath("$.steps[3].outcome").value("SKIPPED"))
                .andReturn().getResponse().getContentAsString();
        assertThat(answer).doesNotContain("n0t-the-").doesNotContain("fos-secret-1");
        mvc.perform(post("/api/fabrics/test-connection").with(operator).with(csrf()).contentType(json)
                        .content(wrong.replace("n0t-the-$(password)", "fos-secret-1").replace(": " + VF + "}", ": 99}")))
                .andExpect(jsonPath("$.ok").value(false))
                .andExpect(jsonPath("$.steps[3].outcome").value("FAILED"))
                .andExpect(jsonPath("$.steps[3].detail").value(containsString("virtual fabric 99")));
        // the stored password is used for its own address only, never sent to another
        mvc.perform(post("/api/fabrics/test-connection").param("fabricId", "" + estate.fabricA().getId())
                        .with(operator).with(csrf()).contentType(json)
                        .content("{\"vendor\": \"brocade-fos-rest\", \"managementUrl\": \"http://192.0.2.7\", "
                                + "\"managementUsername\": \"admin\", \"managementPassword\": \"\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("managementPassword"));
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        mvc.perform(post("/api/fabrics/test-connection").with(operator).with(csrf()).contentType(json)
                        .content(wrong.replace(brocade.baseUrl().toString(), "http://127.0.0.1:" + closed)))
                .andExpect(jsonPath("$.steps[0].outcome").value("FAILED"))
                .andExpect(jsonPath("$.steps[0].detail").value(containsString("Cannot connect to 127.0.0.1 port " + closed)));
        mvc.perform(post("/api/fabrics/{id}/test-connection", estate.fabricA().getId())
                        .with(user("vera").roles("VIEWER")).with(csrf()))
                .andExpect(status().isForbidden());
        // the page's button answers with the steps
        mvc.perform(post("/fabrics/{id}/test-connection", estate.fabricA().getId()).with(operator).with(csrf()))
                .andExpect(content().string(containsString("data-step=\"read the zoning\"")));
    }

    @Test
    void anEmailChannelIsRefusedWhileNoSmtpServerIsConfigured() throws Exception {
        // this test context sets no spring.mail.host
        mvc.perform(post("/api/notification-channels").with(user("ada").roles("ADMIN")).with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\": \"mail\", \"kind\": \"EMAIL\", \"target\": \"san@example.net\", "
                                + "\"events\": [\"CHANGE_PLANNED\"]}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("kind"))
                .andExpect(jsonPath("$.errors[0].message").value(containsString("no SMTP server is configured")));
    }

    @Test
    void aPeerZoneTheTargetCreatedIsShownAsSuchAndNeverProposedForAdoption() throws Exception {
        Estate estate = estate();
        String active = identities.findByVmIdAndFabricId(estate.vm().getId(), estate.fabricA().getId()).orElseThrow()
                .getActiveWwpn().toString();
        brocade.seedTargetCreatedPeerZone(VF, "prod_cfg", "tdz_pure_" + estate.vm().getName(), targetA,
                List.of(active));
        brocade.seedZone(VF, "prod_cfg", "legacy_" + estate.vm().getName(), List.of(active, targetA));
        assertThat(adoption.proposals(estate.fabricA().getId())).extracting(ZoneAdoption.Proposal::zone)
                .contains("legacy_" + estate.vm().getName())
                .doesNotContain("tdz_pure_" + estate.vm().getName());
        mvc.perform(get("/api/fabrics/{id}/live-zoning", estate.fabricA().getId()).param("q", "tdz_")
                        .with(user("vera").roles("VIEWER")))
                .andExpect(jsonPath("$.zones[0].name").value("tdz_pure_" + estate.vm().getName()))
                .andExpect(jsonPath("$.zones[0].targetCreated").value(true))
                .andExpect(jsonPath("$.zones[0].owned").value(false));
        mvc.perform(post("/api/fabrics/{id}/adopt", estate.fabricA().getId()).with(user("olga").roles("OPERATOR"))
                        .with(csrf()).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"zones\": [\"tdz_pure_" + estate.vm().getName() + "\"]}"))
                .andExpect(status().isConflict());
    }

    @Test
    void whereAReasonIsRequiredAPlanWithoutOneIsRefusedNamingTheFieldAndNothingIsPlanned() throws Exception {
        Estate estate = estate();
        var operator = user("olga").roles("OPERATOR");
        // the setting vfzone.changes.reason-required, switched on for this test only
        ReflectionTestUtils.setField(changeSets, "reasonRequired", true);
        try {
            mvc.perform(post("/api/fabrics/{id}/plan", estate.fabricA().getId()).with(operator).with(csrf()))
                    .andExpect(status().isBadRequest())
                    .andExpect(jsonPath("$.errors[0].field").value("reason"));
            mvc.perform(post("/api/vms/{id}/plan", estate.vm().getId()).with(operator).with(csrf())
                            .contentType(MediaType.APPLICATION_JSON).content("{\"reason\": \" \"}"))
                    .andExpect(status().isBadRequest())
                    .andExpect(jsonPath("$.errors[0].field").value("reason"));
            assertThat(changeSets.search(null, estate.fabricA().getId(),
                    Pageable.unpaged()).getContent()).isEmpty();
            mvc.perform(get("/vms/{id}/zoning", estate.vm().getId()).with(operator))
                    .andExpect(content().string(containsString("(required)")));
            mvc.perform(post("/api/fabrics/{id}/plan", estate.fabricA().getId()).with(operator).with(csrf())
                            .contentType(MediaType.APPLICATION_JSON)
                            .content("{\"reason\": \"new array for the ledger\", \"ticket\": \"INC-77\"}"))
                    .andExpect(status().isCreated())
                    .andExpect(jsonPath("$.reason").value("new array for the ledger"));
        } finally {
            ReflectionTestUtils.setField(changeSets, "reasonRequired", false);
        }
    }

    @Test
    void theApprovalFormTakesAChangeWindowInUtcAndSaysWhichTimeItCouldNotRead() throws Exception {
        Estate estate = estate();
        ChangeSet planned = changeSets.plan(estate.fabricA().getId(), "alice").orElseThrow();
        var approver = user("bob").roles("APPROVER");
        String page = "/changes/" + planned.getId();
        mvc.perform(post(page + "/approve").with(approver).with(csrf()).header("Referer", "http://localhost" + page)
                        .param("windowStart", "tomorrow night").param("windowEnd", "2099-01-01 02:00"))
                .andExpect(status().is3xxRedirection())
                .andExpect(MockMvcResultMatchers.flash().attribute(
                        "error", containsString("Window start: \"tomorrow night\" is not a UTC time")));
        assertThat(changeSets.get(planned.getId()).getStatus()).isEqualTo(ChangeSetStatus.PLANNED);
        mvc.perform(post(page + "/approve").with(approver).with(csrf()).header("Referer", "http://localhost" + page)
                        .param("windowStart", "2099-01-01 00:00").param("windowEnd", "2099-01-01T02:30")
                        .param("pushWhenOpen", "true"))
                .andExpect(status().is3xxRedirection());
        ChangeSet approved = changeSets.get(planned.getId());
        assertThat(approved.getWindowStart()).isEqualTo(Instant.parse("2099-01-01T00:00:00Z"));
        assertThat(approved.getWindowEnd()).isEqualTo(Instant.parse("2099-01-01T02:30:00Z"));
        assertThat(approved.isPushInWindow()).isTrue();
        mvc.perform(get(page).with(approver))
                .andExpect(content().string(containsString("2099-01-01 00:00 to 2099-01-01 02:30 UTC")));
    }

    @Test
    void changeSetsAreFoundByStatusAndFabricAndApproversSeeWhatWaitsForThem() throws Exception {
        Estate estate = estate();
        ChangeSet planned = changeSets.plan(estate.fabricA().getId(), "alice").orElseThrow();
        var viewer = user("vera").roles("VIEWER");

        mvc.perform(get("/api/changes").param("status", "PLANNED").param("fabric", "" + estate.fabricA().getId())
                        .with(viewer))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(1))
                .andExpect(jsonPath("$[0].id").value(planned.getId()))
                .andExpect(jsonPath("$[0].summary").value("1 zone to add, 0 to change, 0 to remove · whole fabric"));
        mvc.perform(get("/api/changes").param("status", "DONE").param("fabric", "" + estate.fabricA().getId())
                        .with(viewer))
                .andExpect(jsonPath("$.length()").value(0));
        mvc.perform(get("/api/changes").param("status", "SOMETHING").with(viewer))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("status"));
        mvc.perform(get("/changes").param("status", "PLANNED").param("fabric", "" + estate.fabricA().getId())
                        .with(viewer))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("1 zone to add")));

        mvc.perform(get("/zoning/approvals").with(user("bob").roles("APPROVER")))
                .andExpect(content().string(containsString("/changes/" + planned.getId() + "\"")));
        mvc.perform(get("/zoning/approvals").with(user("alice").roles("APPROVER")))
                .andExpect(content().string(Matchers.not(
                        containsString("/changes/" + planned.getId() + "\""))));
        mvc.perform(get("/zoning/approvals").with(user("olga").roles("OPERATOR")))
                .andExpect(content().string(Matchers.not(containsString("Awaiting your approval"))));
    }

    @Test
    void anMdsFabricSetToFcaliasesZonesWithFcaliasesInOneZoneSessionAndTheUiSaysSo() throws Exception {
        Estate estate = estate();
        Fabric b = estate.fabricB();
        // an admin switches the fabric to fcaliases on its form (the password stays: the switch is the same)
        mvc.perform(post("/fabrics/{id}", b.getId()).with(user("adam").roles("ADMIN")).with(csrf())
                        .param("name", b.getName()).param("side", "B").param("vendor", "cisco-mds-nxapi")
                        .param("virtualFabricId", String.valueOf(VSAN)).param("managementUrl", cisco.baseUrl().toString())
                        .param("managementUsername", "admin").param("zoningPolicy", "SINGLE_INITIATOR_MULTI_TARGET")
                        .param("zoneNameTemplate", "vfz_{vm}_{array}").param("defaultConfigName", "vfz_zs")
                        .param("aliasKind", "fcalias"))
                .andExpect(status().is3xxRedirection());
        // fcaliases are an MDS thing: a Brocade fabric refuses the setting, beside the field
        mvc.perform(put("/api/fabrics/{id}", estate.fabricA().getId()).with(user("adam").roles("ADMIN"))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"" + estate.fabricA().getName() + "\",\"side\":\"A\",\"vendor\":"
                                + "\"brocade-fos-rest\",\"virtualFabricId\":" + VF + ",\"managementUrl\":\""
                                + brocade.baseUrl() + "\",\"managementUsername\":\"admin\",\"aliasKind\":\"fcalias\"}"))
                .andExpect(status().isBadRequest()).andExpect(content().string(containsString("aliasKind")));

        ChangeSet planned = changeSets.plan(b.getId(), "alice").orElseThrow();
        StoredPlan stored = changeSets.stored(planned);
        assertThat(stored.plan().change().addAliases()).isNotEmpty()
                .allSatisfy(alias -> assertThat(alias.name()).startsWith("fcalias:vfz_"));
        assertThat(stored.preview()).anyMatch(line -> line.contains("fcalias name vfz_"))
                .noneMatch(line -> line.contains("device-alias name"));
        changeSets.approve(planned.getId(), "bob");
        pushes.startPush(planned.getId(), "bob");
        ChangeSet pushed = pushes.push(planned.getId(), "bob");
        assertThat(pushed.getStatus()).isEqualTo(ChangeSetStatus.DONE);
        assertThat(cisco.deviceAliases()).doesNotContainKeys(stored.plan().change().addAliases().stream()
                .map(alias -> alias.name().substring("fcalias:".length())).toArray(String[]::new));
        String zone = "vfz_" + estate.vm().getName() + "_" + estate.array().getName();
        assertThat(cisco.activeZones(VSAN).get(zone)).hasSize(3);
        // planned again: nothing to do, the fcaliases are recognised as vfzone's own
        assertThat(changeSets.plan(b.getId(), "alice")).isEmpty();
        mvc.perform(get("/fabrics/{id}/zoning", b.getId()).with(user("vera").roles("VIEWER")))
                .andExpect(content().string(containsString("fcaliases (per VSAN, with the zones)")));
    }

    @Test
    void theReviewShowsTheZoneDatabasesUseAndAChangeThatWouldNotFitIsRefusedWithTheFigures() throws Exception {
        Estate estate = estate();
        ChangeSet planned = changeSets.plan(estate.fabricA().getId(), "alice").orElseThrow();
        StoredPlan.DatabaseUse use = changeSets.stored(planned).databaseUse();
        assertThat(use.maxBytes()).isEqualTo(1_045_274);
        assertThat(use.estimatedAfterBytes()).isGreaterThan(use.usedBytes());
        mvc.perform(get("/changes/{id}", planned.getId()).with(user("vera").roles("VIEWER")))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Zone database: ")))
                .andExpect(content().string(containsString("by vfzone&#39;s estimate")));

        // fabric B's switch is all but full: planning says so with the figures, and hygiene warns
        long used = cisco.zoneDatabaseUsed(VSAN);
        cisco.zoneDatabaseMax(VSAN, used + 20);
        assertThatThrownBy(() -> changeSets.plan(estate.fabricB().getId(), "alice"))
                .isInstanceOf(RuleViolation.class)
                .hasMessageContaining("would not fit in the zone database of fabric " + estate.fabricB().getName())
                .hasMessageContaining(String.format(Locale.ROOT, "%,d of %,d bytes are in use", used, used + 20));
        mvc.perform(post("/api/fabrics/{id}/live-zoning/refresh", estate.fabricB().getId())
                .with(user("olga").roles("OPERATOR")).with(csrf())).andExpect(status().isNoContent());
        mvc.perform(get("/api/fabrics/{id}/hygiene", estate.fabricB().getId()).with(user("vera").roles("VIEWER")))
                .andExpect(jsonPath("$.findings[?(@.kind == 'ZONE_DATABASE_NEARLY_FULL')].detail").value(
                        Matchers.contains(containsString("bytes in use"))));
    }

    /** An MDS zone made by hand of fcaliases: the WWN inside an fcalias finds the zone, named via its fcalias. */
    @Test
    void aWwnInsideAnMdsFcaliasFindsItsZone() throws Exception {
        Estate estate = estate();
        String hidden = uniqueWwn();
        cisco.seedFcalias(VSAN, "ora_rac", List.of(hidden, "10:00:00:10:9b:ee:ee:0c"));
        cisco.seedZoneOfFcaliases(VSAN, "zs_prod", "manual_rac_zone", List.of("ora_rac"),
                List.of("50:06:01:60:3b:a0:11:25"));
        liveZoning.refresh(estate.fabricB().getId());
        var viewer = user("vera").roles("VIEWER");
        mvc.perform(get("/api/wwns/{wwn}/zones", hidden).with(viewer))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.zones[?(@.fabricId == " + estate.fabricB().getId() + ")].zone").value(
                        Matchers.contains("manual_rac_zone")))
                .andExpect(jsonPath("$.zones[?(@.fabricId == " + estate.fabricB().getId() + ")].via").value(
                        Matchers.contains("fcalias:ora_rac")));
        mvc.perform(get("/api/fabrics/{id}/live-zoning", estate.fabricB().getId()).param("q", hidden).with(viewer))
                .andExpect(jsonPath("$.matchingZones").value(1))
                .andExpect(jsonPath("$.zones[0].name").value("manual_rac_zone"));
    }

    @Test
    void theLiveZoningShowsOwnedAndForeignZonesWithMembersResolvedAndAWwnsZonesAcrossFabrics() throws Exception {
        Estate estate = estate();
        planApprovePush(estate.fabricA());
        String zone = "vfz_" + estate.vm().getName() + "_" + estate.array().getName();
        String active = identities.findByVmIdAndFabricId(estate.vm().getId(), estate.fabricA().getId()).orElseThrow()
                .getActiveWwpn().toString();
        var viewer = user("vera").roles("VIEWER");

        mvc.perform(get("/api/fabrics/{id}/live-zoning", estate.fabricA().getId()).with(viewer))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.totalZones").value(2))
                .andExpect(jsonPath("$.zones[?(@.name == 'manual_oracle_zone')].owned").value(
                        Matchers.contains(false)))
                .andExpect(jsonPath("$.zones[?(@.name == '" + zone + "')].owned").value(
                        Matchers.contains(true)));
        // a WWPN in another notation finds the VM's zone, its member known as the VM's active WWPN
        mvc.perform(get("/api/fabrics/{id}/live-zoning", estate.fabricA().getId())
                        .param("q", active.replace(":", "").toUpperCase()).with(viewer))
                .andExpect(jsonPath("$.matchingZones").value(1))
                .andExpect(jsonPath("$.zones[0].name").value(zone))
                .andExpect(jsonPath("$.zones[0].members[0].wwpns[0].knownAs").value(
                        containsString("active WWPN of VM " + estate.vm().getName())));
        mvc.perform(get("/fabrics/{id}/live-zoning", estate.fabricA().getId()).param("q", "oracle").with(viewer))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("manual_oracle_zone")))
                .andExpect(content().string(Matchers.not(containsString(zone))));

        mvc.perform(get("/api/wwns/{wwn}/zones", FOREIGN).with(viewer))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.zones[?(@.fabricId == " + estate.fabricA().getId() + ")].via").value(
                        Matchers.contains("oracle_host")))
                .andExpect(jsonPath("$.zones[?(@.fabricId == " + estate.fabricB().getId() + ")].zone").value(
                        Matchers.contains("manual_backup_zone")));
        mvc.perform(get("/wwns/zones").param("wwn", FOREIGN).with(viewer))
                .andExpect(content().string(containsString("manual_backup_zone")));
        mvc.perform(get("/vms/{id}/zones", estate.vm().getId()).with(viewer))
                .andExpect(content().string(containsString(zone)));
        mvc.perform(get("/zoning/hygiene-summary").with(viewer))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString(estate.fabricA().getName())));
        mvc.perform(get("/api/wwns/{wwn}/zones", "not-a-wwn").with(viewer))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("wwn"));
    }

    @Test
    void aBrocadeOnFabricOs821aIsZonedInXmlUnderItsOwnPathsAndItsPagesSaySo() throws Exception {
        brocade.firmwareVersion("v8.2.1a");
        Estate estate = estate();
        ChangeSet planned = changeSets.plan(estate.fabricA().getId(), "alice").orElseThrow();
        StoredPlan stored = changeSets.stored(planned);
        assertThat(stored.preview()).anyMatch(line -> line.startsWith(
                "POST /rest/running/zoning/defined-configuration?vf-id=10 <defined-configuration><alias>"));
        assertThat(stored.preview()).noneMatch(line -> line.contains("brocade-zone/") || line.contains("{\""));
        changeSets.approve(planned.getId(), "bob");
        pushes.startPush(planned.getId(), "bob");
        ChangeSet done = pushes.push(planned.getId(), "bob");
        assertThat(done.getStatus()).isEqualTo(ChangeSetStatus.DONE);
        assertThat(done.getOutcome()).isEqualTo(ChangeSet.Outcome.COMMITTED);
        String zone = "vfz_" + estate.vm().getName() + "_" + estate.array().getName();
        assertThat(brocade.effectiveZones(VF)).containsKey(zone);
        assertThat(changeSets.plan(estate.fabricA().getId(), "alice")).isEmpty();

        // the fabric page says which firmware the switch runs and how vfzone speaks to it; so does the live zoning
        assertThat(drift.check(estate.fabricA().getId()).status()).isEqualTo(DriftDetector.Status.IN_SYNC);
        assertThat(drift.check(estate.fabricB().getId()).status()).isEqualTo(DriftDetector.Status.IN_SYNC);
        var viewer = user("vera").roles("VIEWER");
        mvc.perform(get("/fabrics/{id}/zoning", estate.fabricA().getId()).with(viewer))
                .andExpect(status().isOk()).andExpect(content().string(containsString(
                        "Fabric OS v8.2.1a: FOS REST, zoning under /rest/running/zoning/ in XML (FOS 8.2.0 to 8.2.1a)")));
        mvc.perform(get("/fabrics/{id}/zoning", estate.fabricB().getId()).with(viewer))
                .andExpect(status().isOk()).andExpect(content().string(containsString(
                        "NX-API: zoning enhanced mode, device-aliases enhanced mode")));
        mvc.perform(get("/fabrics/{id}/live-zoning", estate.fabricA().getId()).with(viewer))
                .andExpect(status().isOk()).andExpect(content().string(containsString("/rest/running/zoning/ in XML")));

        // upgraded to 9.1 under a plan made before: stale, never pushed in the old dialect; planned again, it goes
        access.grant(vmOn(estate), estate.array().getId(), "alice");
        ChangeSet before = changeSets.plan(estate.fabricA().getId(), "alice").orElseThrow();
        changeSets.approve(before.getId(), "bob");
        brocade.firmwareVersion("v9.1.1b");
        pushes.startPush(before.getId(), "bob");
        ChangeSet stale = pushes.push(before.getId(), "bob");
        assertThat(stale.getStatus()).isEqualTo(ChangeSetStatus.STALE);
        assertThat(changeSets.stored(changeSets.plan(estate.fabricA().getId(), "alice").orElseThrow()).preview())
                .anyMatch(line -> line.startsWith("POST /rest/running/brocade-zone/defined-configuration?vf-id=10 {"));
    }

    /** Another VM on the estate's host, with its NPIV identity, for a second grant. */
    long vmOn(Estate estate) {
        Vm other = fixtures.vm(hostOnBothFabrics(estate));
        vms.allocateIdentityAndAssignVfs(other.getId(), fixtures.pool(16).getId(), "alice");
        return other.getId();
    }

    @Autowired
    LiveZoning liveZoning;

    @Test
    void aSwitchThatCannotBeReadIsNotAskedAgainByEveryLookUntilRefreshed() {
        Estate estate = estate();
        brocade.answerHtml(true); // a proxy's error page instead of the REST API: the read fails
        Wwn foreign = Wwn.parse(FOREIGN);
        assertThat(liveZoning.zonesWith(foreign).unreadable()).extracting(LiveZoning.Unreadable::fabricId)
                .contains(estate.fabricA().getId());
        int asked = brocade.requestLog().size();
        assertThat(liveZoning.zonesWith(foreign).unreadable()).extracting(LiveZoning.Unreadable::fabricId)
                .contains(estate.fabricA().getId());
        assertThat(brocade.requestLog()).as("the failed read is kept like a read").hasSize(asked);

        brocade.answerHtml(false);
        liveZoning.refresh(estate.fabricA().getId());
        assertThat(liveZoning.zonesWith(foreign).zones()).extracting(LiveZoning.WwnZone::zone)
                .contains("manual_oracle_zone");
    }

    @Test
    void zoneHygieneFindsAZoneOfADeletedVmAForeignZoneHoldingAManagedWwpnAndAnUnusedAlias() throws Exception {
        Estate estate = estate();
        planApprovePush(estate.fabricA());
        String zone = "vfz_" + estate.vm().getName() + "_" + estate.array().getName();
        String active = identities.findByVmIdAndFabricId(estate.vm().getId(), estate.fabricA().getId()).orElseThrow()
                .getActiveWwpn().toString();
        brocade.seedZone(VF, "prod_cfg", "manual_vm_zone", List.of(active, "50:06:01:60:3b:a0:11:22"));
        brocade.seedAlias(VF, "lonely_alias", "10:00:00:10:9b:ee:ee:77");
        var viewer = user("vera").roles("VIEWER");

        mvc.perform(get("/api/fabrics/{id}/hygiene", estate.fabricA().getId()).with(viewer))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.findings[?(@.kind == 'FOREIGN_ZONE_WITH_MANAGED_WWPN')].object").value(
                        Matchers.contains("manual_vm_zone")))
                .andExpect(jsonPath("$.findings[?(@.kind == 'UNUSED_ALIAS')].object").value(
                        Matchers.hasItem("lonely_alias")))
                .andExpect(jsonPath("$.findings[?(@.kind == 'ZONE_OF_DELETED_VM')]").isEmpty());

        vms.delete(estate.vm().getId(), "alice");
        mvc.perform(post("/api/fabrics/{id}/live-zoning/refresh", estate.fabricA().getId())
                        .with(user("olga").roles("OPERATOR")).with(csrf())).andExpect(status().isNoContent());
        mvc.perform(get("/api/fabrics/{id}/hygiene", estate.fabricA().getId()).with(viewer))
                .andExpect(jsonPath("$.findings[?(@.kind == 'ZONE_OF_DELETED_VM')].object").value(
                        Matchers.contains(zone)))
                .andExpect(jsonPath("$.findings[?(@.kind == 'ZONE_OF_DELETED_VM')].fixedByPlan").value(
                        Matchers.contains(true)));
        mvc.perform(get("/fabrics/{id}/hygiene", estate.fabricA().getId()).with(user("olga").roles("OPERATOR")))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("plan-fixes")))
                .andExpect(content().string(containsString(zone)));
    }

    @Test
    void bulkActionsAllocateGrantAndPlanManyVmsAndSayWhatHappenedToEach() throws Exception {
        Estate estate = estate();
        Host host = hostOnBothFabrics(estate);
        Vm second = fixtures.vm(host);
        Vm third = fixtures.vm(host);
        long pool = fixtures.pool(16).getId();
        var operator = user("olga").roles("OPERATOR");
        MockHttpServletRequestBuilder bulk =
                post("/api/vms/bulk").with(operator).with(csrf())
                        .contentType(MediaType.APPLICATION_JSON);

        mvc.perform(bulk.content("{\"action\": \"ALLOCATE\", \"vmIds\": [" + second.getId() + ", " + third.getId()
                        + "], \"poolId\": " + pool + "}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[*].ok").value(Matchers.contains(true, true)));
        mvc.perform(bulk.content("{\"action\": \"GRANT\", \"vmIds\": [" + estate.vm().getId() + ", "
                        + second.getId() + ", " + third.getId() + "], \"arrayId\": " + estate.array().getId() + "}"))
                .andExpect(jsonPath("$[?(@.object == 'VM " + estate.vm().getName() + "')].ok").value(
                        Matchers.contains(false)))
                .andExpect(jsonPath("$[?(@.object == 'VM " + second.getName() + "')].ok").value(
                        Matchers.contains(true)));
        mvc.perform(bulk.content("{\"action\": \"PLAN\", \"vmIds\": [" + second.getId() + ", " + third.getId()
                        + "]}"))
                .andExpect(jsonPath("$.length()").value(2))
                .andExpect(jsonPath("$[*].changeSetId").value(Matchers.everyItem(
                        Matchers.notNullValue())));
        long onA = jdbc.queryForObject("select id from change_set where fabric_id = ? order by id desc limit 1",
                Long.class, estate.fabricA().getId());
        assertThat(changeSets.stored(changeSets.get(onA)).plan().change().addZones()).extracting(Zone::name)
                .containsExactlyInAnyOrder("vfz_" + second.getName() + "_" + estate.array().getName(),
                        "vfz_" + third.getName() + "_" + estate.array().getName());
        mvc.perform(bulk.content("{\"action\": \"GRANT\", \"vmIds\": [" + second.getId() + "]}"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("arrayId"));
        mvc.perform(bulk.content("{\"action\": \"PLAN\", \"vmIds\": [987654321]}"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("vmIds"));
    }

    @Test
    void deletingAZonedVmRevokesItsAccessInTheAuditTrailAndTheNextPlanRemovesItsZones() throws Exception {
        Estate estate = estate();
        planApprovePush(estate.fabricA());
        String zone = "vfz_" + estate.vm().getName() + "_" + estate.array().getName();
        assertThat(brocade.definedZones(VF)).contains(zone);

        mvc.perform(delete("/api/vms/{id}", estate.vm().getId()).with(user("olga").roles("OPERATOR")).with(csrf()))
                .andExpect(status().isNoContent());

        assertThat(jdbc.queryForObject("select count(*) from storage_access where vm_id = ?", Long.class,
                estate.vm().getId())).isZero();
        assertThat(jdbc.queryForList("select actor || ': ' || summary from audit_event where action = 'REVOKE_ACCESS'"
                + " and object_id = ?", String.class, estate.vm().getId()))
                .containsExactly("olga: VM " + estate.vm().getName() + " was deleted, so it may no longer reach array "
                        + estate.array().getName() + "; plan the fabrics to remove its zones");
        ChangeSet removal = changeSets.plan(estate.fabricA().getId(), "alice").orElseThrow();
        assertThat(changeSets.stored(removal).plan().change().removeZones()).containsExactly(zone);
    }

    @Test
    void aPageActionARuleRefusesGoesBackToItsPageSayingWhy() throws Exception {
        Estate estate = estate();
        ChangeSet planned = changeSets.plan(estate.fabricA().getId(), "alice").orElseThrow();
        var alice = user("alice").roles("APPROVER");
        mvc.perform(post("/changes/{id}/approve", planned.getId()).with(alice).with(csrf())
                        .header("Referer", "http://localhost/changes/" + planned.getId()))
                .andExpect(status().is3xxRedirection())
                .andExpect(MockMvcResultMatchers.redirectedUrl(
                        "/changes/" + planned.getId()))
                .andExpect(MockMvcResultMatchers.flash().attribute(
                        "error", containsString("another approver must approve it")));
        // a referer elsewhere is not followed; without one the error page says it with the status
        mvc.perform(post("/changes/{id}/approve", planned.getId()).with(alice).with(csrf())
                        .header("Referer", "https://elsewhere.example.org/phish"))
                .andExpect(status().isConflict())
                .andExpect(content().string(containsString("another approver must approve it")));
        assertThat(changeSets.get(planned.getId()).getStatus()).isEqualTo(ChangeSetStatus.PLANNED);
    }

    @Test
    void anUnreachableFabricIsReportedNotFatal() {
        Estate estate = estate();
        brocade.close();
        DriftDetector.Result result = drift.check(estate.fabricA().getId());
        assertThat(result.status()).isEqualTo(DriftDetector.Status.UNREADABLE);
        assertThat(result.problems().get(0)).contains("cannot read the fabric");
    }

    @Autowired
    LoginDiscovery discovery;
    @Autowired
    LoginQueries logins;
    @Autowired
    ZoningQueries zoningQueries;

    @Test
    void loginsAreDiscoveredPerVmWithMovesHistoryAndUnknownDevices() {
        Estate estate = estate();
        VmFabricIdentity pair = identities.findByVmIdAndFabricId(estate.vm().getId(), estate.fabricA().getId())
                .orElseThrow();
        String active = pair.getActiveWwpn().toString();
        String standby = pair.getStandbyWwpn().toString();
        brocade.login(VF, active, null, "0x010203", 3, "web host NPIV", "FCP-Initiator");
        brocade.login(VF, "21:00:00:24:ff:5e:61:0a", null, "0x010204", 4, "who is this", "FCP-Initiator");

        LoginDiscovery.Result first = discovery.discover(estate.fabricA().getId());
        assertThat(first.ok()).isTrue();
        assertThat(first.appeared()).isEqualTo(2);
        assertThat(logins.ofVm(estate.vm().getId())).filteredOn(l -> l.fabric().equals(estate.fabricA().getName()))
                .singleElement().satisfies(l -> {
                    assertThat(l.status()).isEqualTo("LOGGED_IN");
                    assertThat(l.activeFcid()).isEqualTo("0x010203");
                    assertThat(l.activePort()).isEqualTo("port index 3");
                });
        assertThat(logins.ofFabric(estate.fabricA().getId())).anySatisfy(l -> {
            assertThat(l.wwpn()).isEqualTo("21:00:00:24:ff:5e:61:0a");
            assertThat(l.unknown()).isTrue();
        }).anySatisfy(l -> assertThat(l.knownAs()).contains("active WWPN of VM " + estate.vm().getName()));

        // the VM moved: the destination logs in with the standby WWPN
        brocade.logout(VF, active);
        brocade.login(VF, standby, null, "0x010305", 5, "other host NPIV", "FCP-Initiator");
        LoginDiscovery.Result second = discovery.discover(estate.fabricA().getId());
        assertThat(second.appeared()).isEqualTo(1);
        assertThat(second.disappeared()).isEqualTo(1);
        assertThat(logins.ofVm(estate.vm().getId())).filteredOn(l -> l.fabric().equals(estate.fabricA().getName()))
                .singleElement().extracting(LoginQueries.VmLogin::status).isEqualTo("STANDBY_LOGGED_IN");
        assertThat(logins.historyOfVm(estate.vm().getId(), 10)).extracting(LoginQueries.LoginEvent::event)
                .containsExactlyInAnyOrder("LOGIN", "LOGOUT", "LOGIN");
        // the WWN lookup says where the standby WWPN is logged in, in any notation
        assertThat(logins.whereLoggedIn(Wwn.parse(standby.replace(":", "").toUpperCase())))
                .singleElement().satisfies(where -> {
                    assertThat(where.fabric()).isEqualTo(estate.fabricA().getName());
                    assertThat(where.fcid()).isEqualTo("0x010305");
                    assertThat(where.switchPort()).isEqualTo("port index 5");
                });
        assertThat(logins.whereLoggedIn(Wwn.parse(active))).isEmpty();
    }

    @Test
    void anUnknownDeviceIsIgnoredWithAReasonAndCanBeListedAsUnknownAgain() throws Exception {
        Estate estate = estate();
        long fabric = estate.fabricA().getId();
        String stranger = uniqueWwn();
        String active = identities.findByVmIdAndFabricId(estate.vm().getId(), fabric).orElseThrow().getActiveWwpn()
                .toString();
        brocade.login(VF, stranger, null, "0x010210", 7, "media server", "FCP-Initiator");
        brocade.login(VF, active, null, "0x010211", 8, "web host NPIV", "FCP-Initiator");
        String hostile = uniqueWwn();
        brocade.login(VF, hostile, null, "0x010212", 9, "=cmd|' /C calc'!A0", "FCP-Initiator");
        discovery.discover(fabric);
        var operator = user("olga").roles("OPERATOR");
        var viewer = user("vic").roles("VIEWER");

        mvc.perform(put("/api/ignored-logins/" + stranger).with(viewer).contentType("application/json")
                .content("{\"reason\":\"backup\"}")).andExpect(status().isForbidden());
        mvc.perform(put("/api/ignored-logins/" + stranger).with(operator).contentType("application/json")
                .content("{\"reason\":\" \"}")).andExpect(status().isBadRequest());
        mvc.perform(put("/api/ignored-logins/" + active).with(operator).contentType("application/json")
                        .content("{\"reason\":\"noise\"}"))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail").value(containsString("is known to vfzone as")));
        mvc.perform(put("/api/ignored-logins/" + stranger.replace(":", "").toUpperCase()).with(operator)
                        .contentType("application/json").content("{\"reason\":\"backup server, not virtualized\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.wwpn").value(stranger))
                .andExpect(jsonPath("$.ignoredBy").value("olga"));
        mvc.perform(get("/api/fabrics/{id}/logins", fabric).with(viewer))
                .andExpect(jsonPath("$[?(@.wwpn == '" + stranger + "')].status").value("IGNORED"))
                .andExpect(jsonPath("$[?(@.wwpn == '" + active + "')].status").value("KNOWN"));
        mvc.perform(get("/fabrics/{id}/zoning", fabric).with(viewer))
                .andExpect(content().string(containsString("ignored: backup server, not virtualized (olga)")));
        mvc.perform(get("/fabrics/{id}/logins.csv", fabric).with(viewer))
                .andExpect(content().string(containsString(stranger + ",,0x010210,port index 7,media server,"
                        + "FCP-Initiator,")))
                .andExpect(content().string(containsString(",IGNORED,,\"backup server, not virtualized\"")))
                // what a device registers as its name must not run as a formula in a spreadsheet
                .andExpect(content().string(containsString(hostile + ",,0x010212,port index 9,'=cmd|' /C calc'!A0,")));
        assertThat(logins.ofFabric(fabric)).filteredOn(l -> l.wwpn().equals(stranger)).singleElement()
                .satisfies(l -> assertThat(l.unknown()).isFalse());

        mvc.perform(post("/fabrics/{id}/logins/unignore", fabric).with(operator).with(csrf()).param("wwpn", stranger))
                .andExpect(status().is3xxRedirection());
        assertThat(logins.ofFabric(fabric)).filteredOn(l -> l.wwpn().equals(stranger)).singleElement()
                .satisfies(l -> assertThat(l.unknown()).isTrue());
        mvc.perform(delete("/api/ignored-logins/" + stranger).with(operator)).andExpect(status().isNotFound());
        mvc.perform(post("/fabrics/{id}/logins/ignore", fabric).with(operator).with(csrf()).param("wwpn", stranger)
                .param("reason", "tape library")).andExpect(status().is3xxRedirection());
        mvc.perform(delete("/api/ignored-logins/" + stranger).with(operator)).andExpect(status().isNoContent());
        assertThat(jdbc.queryForObject("select count(*) from audit_event where summary like ?", Long.class,
                "%" + stranger + "%")).isEqualTo(4);
    }

    @Test
    void zonedVmsThatAreNotLoggedInAreListedAndThePlanWarnsAboutThem() {
        Estate estate = estate();
        discovery.discover(estate.fabricA().getId());   // the fabric is known, the VM is not on it
        ChangeSet planned = changeSets.plan(estate.fabricA().getId(), "alice").orElseThrow();
        assertThat(changeSets.stored(planned).plan().warnings())
                .anyMatch(w -> w.contains("VM " + estate.vm().getName() + ": neither") && w.contains("typo"));
        changeSets.approve(planned.getId(), "bob");
        pushes.startPush(planned.getId(), "bob");
        pushes.push(planned.getId(), "bob");
        assertThat(zoningQueries.zonedButNotLoggedIn(1000)).extracting(ZoningQueries.VmNotLoggedIn::vmId)
                .contains(estate.vm().getId());

        brocade.login(VF, identities.findByVmIdAndFabricId(estate.vm().getId(), estate.fabricA().getId())
                .orElseThrow().getActiveWwpn().toString(), null, "0x010203", 3, "web host", "FCP-Initiator");
        discovery.discover(estate.fabricA().getId());
        assertThat(zoningQueries.zonedButNotLoggedIn(1000)).extracting(ZoningQueries.VmNotLoggedIn::vmId)
                .doesNotContain(estate.vm().getId());
    }

    @Autowired
    ZoneAdoption adoption;

    @Test
    void anExistingZoneIsAdoptedWithoutTouchingTheSwitchThenRenamedThroughAReviewedChange() {
        Estate estate = estate();
        String active = identities.findByVmIdAndFabricId(estate.vm().getId(), estate.fabricA().getId()).orElseThrow()
                .getActiveWwpn().toString();
        brocade.seedZone(VF, "prod_cfg", "old_web_zone", List.of(active, targetA));
        String checksum = brocade.checksum(VF);

        List<ZoneAdoption.Proposal> proposals = adoption.proposals(estate.fabricA().getId());
        assertThat(proposals).singleElement().satisfies(p -> {
            assertThat(p.zone()).isEqualTo("old_web_zone");
            assertThat(p.vmId()).isEqualTo(estate.vm().getId());
            assertThat(p.arrayNames()).containsExactly(estate.array().getName());
        });
        assertThatThrownBy(() -> adoption.adopt(estate.fabricA().getId(), List.of("manual_oracle_zone"), "alice"))
                .hasMessageContaining("no longer proposed");

        assertThat(adoption.adopt(estate.fabricA().getId(), List.of("old_web_zone"), "alice")).isEqualTo(1);
        assertThat(brocade.checksum(VF)).as("adoption does not touch the switch").isEqualTo(checksum);
        assertThat(adoption.proposals(estate.fabricA().getId())).isEmpty();

        ChangeSet rename = changeSets.plan(estate.fabricA().getId(), "alice").orElseThrow();
        assertThat(changeSets.stored(rename).plan().rows()).extracting((ZonePlanner.ReviewRow r) -> r.action().name(),
                ZonePlanner.ReviewRow::name).contains(Tuple.tuple("REMOVE", "old_web_zone"),
                Tuple.tuple("ADD", "vfz_" + estate.vm().getName() + "_"
                        + estate.array().getName()));
        changeSets.approve(rename.getId(), "bob");
        pushes.startPush(rename.getId(), "bob");
        assertThat(pushes.push(rename.getId(), "bob").getStatus()).isEqualTo(ChangeSetStatus.DONE);
        assertThat(brocade.effectiveZones(VF)).doesNotContainKey("old_web_zone")
                .containsKeys("manual_oracle_zone", "vfz_" + estate.vm().getName() + "_" + estate.array().getName());
    }

    @Test
    void switchPasswordsAreStoredEncryptedAndNeverReturned() {
        Estate estate = estate();
        String stored = jdbc.queryForObject("select management_password_enc from fabric_connection where fabric_id = ?",
                String.class,
                estate.fabricA().getId());
        assertThat(stored).startsWith("v1:").doesNotContain("fos-secret-1");
        assertThat(fabricService.formOf(fabricService.get(estate.fabricA().getId())).managementPassword()).isEmpty();
    }

    @Test
    void theVmListNarrowsToTheVmsGrantedAnArray() throws Exception {
        Estate estate = estate();
        Vm other = fixtures.vm(hostOnBothFabrics(estate));
        mvc.perform(get("/api/vms").param("array", estate.array().getId().toString()).param("size", "500")
                        .with(user("viewer").roles("VIEWER")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items[*].name").value(Matchers.contains(estate.vm().getName())))
                .andExpect(jsonPath("$.total").value(1));
        mvc.perform(get("/api/vms").param("q", other.getName()).with(user("viewer").roles("VIEWER")))
                .andExpect(jsonPath("$.total").value(1));
        mvc.perform(get("/api/vms").param("array", "987654321").with(user("viewer").roles("VIEWER")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("array"));
        mvc.perform(get("/vms").param("array", estate.array().getId().toString()).with(user("viewer").roles("VIEWER")))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString(estate.vm().getName())))
                .andExpect(content().string(Matchers.not(containsString(other.getName()))));
    }

    @Autowired
    MigrationCheck migration;

    @Test
    void aMigrationCheckPassesOnlyWhereTheStandbyWwpnIsZonedAndTheDestinationHasPortsAndVfs() throws Exception {
        Estate estate = estate();
        Host both = hostOnBothFabrics(estate);
        Host onlyA = fixtures.host();
        fixtures.adapter(onlyA, estate.fabricA(), 8, 2);

        // nothing pushed yet: the standby WWPN reaches no target
        MigrationCheck.Result before = migration.check(estate.vm().getId(), both.getId());
        assertThat(before.ready()).isFalse();
        assertThat(before.checks()).filteredOn(c -> c.check() == MigrationCheck.Kind.STANDBY_ZONED)
                .hasSize(2).allSatisfy(c -> assertThat(c.fix()).startsWith("plan and push"));

        planApprovePush(estate.fabricA());
        planApprovePush(estate.fabricB());
        mvc.perform(get("/api/vms/{id}/migration-check", estate.vm().getId()).param("host", both.getId().toString())
                        .with(user("viewer").roles("VIEWER")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.ready").value(true))
                .andExpect(jsonPath("$.checks[?(@.check == 'STANDBY_ZONED')].passed").value(
                        Matchers.contains(true, true)))
                .andExpect(jsonPath("$.checks[?(@.check == 'FREE_VF')].passed").value(
                        Matchers.contains(true, true)));

        MigrationCheck.Result toOnlyA = migration.check(estate.vm().getId(), onlyA.getId());
        assertThat(toOnlyA.ready()).isFalse();
        assertThat(toOnlyA.checks()).filteredOn(c -> !c.passed()).extracting(MigrationCheck.Check::check,
                MigrationCheck.Check::fabric).contains(Tuple.tuple(
                MigrationCheck.Kind.PORT_ON_FABRIC, estate.fabricB().getName()));
        mvc.perform(post("/api/vms/{id}/move", estate.vm().getId()).with(user("op").roles("OPERATOR"))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"hostId\":" + onlyA.getId() + "}"))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail", containsString("PORT_ON_FABRIC")));

        mvc.perform(post("/api/vms/{id}/move", estate.vm().getId()).with(user("op").roles("OPERATOR"))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"hostId\":" + both.getId() + "}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.actions.length()").value(4));
        assertThat(vms.get(estate.vm().getId()).getHost().getId()).isEqualTo(both.getId());
        assertThat(jdbc.queryForObject("""
                select count(*) from virtual_function vf join adapter a on a.id = vf.adapter_id
                 where vf.vm_id = ? and a.host_id = ?""", Long.class, estate.vm().getId(), both.getId())).isEqualTo(2);
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'MOVE' and object_id = ?",
                Long.class, estate.vm().getId())).isEqualTo(1);
    }

    @Test
    void aVsphereVmMayMoveOnlyToAHostWhoseHbasTakeItsWwpnsOnTheirOwnFabrics() {
        Estate estate = estate(); // an ESXi host: HBA 1 on A, HBA 2 on B
        planApprovePush(estate.fabricA());
        planApprovePush(estate.fabricB());
        Host crossed = fixtures.host();
        fixtures.adapter(crossed, estate.fabricB(), 8, 2); // HBA 1 on B
        fixtures.adapter(crossed, estate.fabricA(), 8, 2); // HBA 2 on A
        MigrationCheck.Result result = migration.check(estate.vm().getId(), crossed.getId());
        assertThat(result.ready()).isFalse();
        assertThat(result.checks()).filteredOn(c -> !c.passed()).extracting(MigrationCheck.Check::check)
                .containsExactly(MigrationCheck.Kind.HBA_ORDER);
        assertThat(result.checks()).filteredOn(c -> c.check() == MigrationCheck.Kind.HBA_ORDER).singleElement()
                .satisfies(c -> assertThat(c.detail()).contains("HBA 1").contains("is on " + estate.fabricB().getName()));
        assertThat(migration.check(estate.vm().getId(), hostOnBothFabrics(estate).getId()).ready()).isTrue();
    }

    @Autowired
    StandardChanges standardChanges;

    long proposePolicy(String name, Estate estate, String extra) throws Exception {
        String body = mvc.perform(post("/api/standard-changes").with(user("alice").roles("OPERATOR"))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"" + name + "\",\"fabricIds\":[" + estate.fabricA().getId()
                                + "],\"arrayIds\":[" + estate.array().getId() + "],\"allowAdd\":true,"
                                + "\"allowRemove\":true,\"maxZones\":5,\"expiresAt\":\""
                                + Instant.now().plus(Duration.ofDays(30)) + "\"" + extra + "}"))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.policy.status").value("PROPOSED"))
                .andReturn().getResponse().getContentAsString();
        return Long.parseLong(body.replaceAll("(?s).*\"id\":(\\d+).*", "$1"));
    }

    @Test
    void aStandardChangeApprovesOnlyChangeSetsWhoseEveryRowIsInsideIt() throws Exception {
        Estate estate = estate();
        String name = unique("new-vms");
        long policy = proposePolicy(name, estate, "");
        mvc.perform(post("/api/standard-changes/{id}/approve", policy).with(user("alice").roles("APPROVER")))
                .andExpect(status().isConflict());
        mvc.perform(post("/api/standard-changes/{id}/approve", policy).with(user("op").roles("OPERATOR")))
                .andExpect(status().isForbidden());
        mvc.perform(post("/api/standard-changes/{id}/approve", policy).with(user("bob").roles("APPROVER")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.policy.status").value("ACTIVE"))
                .andExpect(jsonPath("$.policy.approvedBy").value("bob"));

        ChangeSet onA = changeSets.plan(estate.fabricA().getId(), "alice").orElseThrow();
        assertThat(onA.getStatus()).isEqualTo(ChangeSetStatus.APPROVED);
        assertThat(onA.getApprovedBy()).isEqualTo("standard:" + name);
        assertThat(onA.getApprovalPolicyId()).isEqualTo(policy);
        assertThat(jdbc.queryForObject("select summary from audit_event where action = 'APPROVE' and object_id = ? "
                + "and object_type = 'change_set'", String.class, onA.getId()))
                .contains("standard change " + name, "approved by bob");
        ChangeSet onB = changeSets.plan(estate.fabricB().getId(), "alice").orElseThrow();
        assertThat(onB.getStatus()).as("fabric B is not in the policy").isEqualTo(ChangeSetStatus.PLANNED);
        pushes.startPush(onA.getId(), "alice");
        assertThat(pushes.push(onA.getId(), "alice").getStatus()).isEqualTo(ChangeSetStatus.DONE);

        // the VM already has a zone: another array's zone for it is not a new VM's
        StorageArray other = arrays.create(new StorageArrayForm(unique("other"), "Dell", "", ""));
        arrays.addPort(other.getId(), new TargetPortForm("SPA-0", uniqueWwn(), estate.fabricA().getId()));
        access.grant(estate.vm().getId(), other.getId(), "alice");
        ChangeSet second = changeSets.plan(estate.fabricA().getId(), "alice").orElseThrow();
        assertThat(second.getStatus()).isEqualTo(ChangeSetStatus.PLANNED);
        StandardChanges.Coverage coverage = standardChanges.coverage(estate.fabricA(),
                changeSets.stored(second).plan());
        assertThat(coverage.covered()).isFalse();
        assertThat(String.join("\n", coverage.outside())).contains("its array is not in the policy",
                "already has zones");
        changeSets.cancel(second.getId(), "alice");

        mvc.perform(post("/api/standard-changes/{id}/revoke", policy).with(user("bob").roles("APPROVER")))
                .andExpect(jsonPath("$.policy.status").value("REVOKED"));
        Vm newcomer = fixtures.vm(hostOnBothFabrics(estate));
        vms.allocateIdentityAndAssignVfs(newcomer.getId(), fixtures.pool(16).getId(), "alice");
        access.grant(newcomer.getId(), estate.array().getId(), "alice");
        assertThat(changeSets.plan(estate.fabricA().getId(), new ChangeSetService.PlanScope(
                Set.of(newcomer.getId()), Set.of()), "alice").orElseThrow().getStatus())
                .as("a revoked policy approves nothing").isEqualTo(ChangeSetStatus.PLANNED);
    }

    @Test
    void aPolicyIsRefusedWithoutAFutureExpiryOrWithAnUnknownFabric() throws Exception {
        Estate estate = estate();
        mvc.perform(post("/api/standard-changes").with(user("alice").roles("OPERATOR"))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"x\",\"fabricIds\":[" + estate.fabricA().getId() + "],\"arrayIds\":["
                                + estate.array().getId() + "],\"allowAdd\":true,\"maxZones\":5,"
                                + "\"expiresAt\":\"2020-01-01T00:00:00Z\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("expiresAt"));
        mvc.perform(post("/api/standard-changes").with(user("alice").roles("OPERATOR"))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"y\",\"fabricIds\":[987654321],\"arrayIds\":["
                                + estate.array().getId() + "],\"allowAdd\":true,\"maxZones\":5,"
                                + "\"expiresAt\":\"" + Instant.now().plus(Duration.ofDays(3)) + "\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("fabricIds"));
    }

    @Test
    void aPushThatCannotStartEndsWithARecordedOutcomeAndNeverLeavesTheFabricBlocked() throws Exception {
        Estate estate = estate();
        ChangeSet planned = changeSets.plan(estate.fabricA().getId(), "alice").orElseThrow();
        changeSets.approve(planned.getId(), "bob");
        String password = jdbc.queryForObject("select management_password_enc from fabric_connection "
                + "where fabric_id = ?", String.class, estate.fabricA().getId());
        // the fabric's URL changed after approval, which drops its password: the API refuses before claiming
        jdbc.update("update fabric_connection set management_password_enc = null where fabric_id = ?",
                estate.fabricA().getId());
        mvc.perform(post("/api/changes/{id}/push", planned.getId()).with(user("bob").roles("APPROVER")))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail").value(Matchers.containsString("password")));
        assertThat(changeSets.get(planned.getId()).getStatus()).isEqualTo(ChangeSetStatus.APPROVED);

        // the same cause arriving between the claim and the push: FAILED, nothing written, the fabric free again
        jdbc.update("update fabric_connection set management_password_enc = ? where fabric_id = ?", password,
                estate.fabricA().getId());
        pushes.startPush(planned.getId(), "bob");
        jdbc.update("update fabric_connection set management_password_enc = null where fabric_id = ?",
                estate.fabricA().getId());
        ChangeSet ended = pushes.push(planned.getId(), "bob");
        assertThat(ended.getStatus()).isEqualTo(ChangeSetStatus.FAILED);
        assertThat(ended.getOutcome()).isEqualTo(ChangeSet.Outcome.NOTHING_WRITTEN);
        assertThat(ended.getResultMessage()).startsWith("The push could not start").contains("Nothing was written");
        assertThat(pushes.orphanedPushes()).noneMatch(cs -> cs.getId().equals(planned.getId()));
    }

    @Test
    void aDriftCheckDuringAPushDoesNotReportThePushsOwnChangesAndRunsWhenThePushEnds() {
        Estate estate = estate();
        planApprovePush(estate.fabricA());
        String zone = "vfz_" + estate.vm().getName() + "_" + estate.array().getName();
        access.revoke(estate.vm().getId(), access.of(estate.vm().getId()).get(0).id(), "alice");
        ChangeSet removal = changeSets.plan(estate.fabricA().getId(), "alice").orElseThrow();
        changeSets.approve(removal.getId(), "bob");
        pushes.startPush(removal.getId(), "bob");
        // the push has removed the zone on the switch and not yet recorded it: what a check would read meanwhile
        brocade.deleteZoneByHand(VF, zone);
        DriftDetector.Result during = drift.check(estate.fabricA().getId());
        assertThat(during.status()).isEqualTo(DriftDetector.Status.DEFERRED);
        assertThat(drift.ofVm(estate.vm().getId())).isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'DRIFT' or summary like ?",
                Long.class, "%" + zone + "%removed from the fabric outside%")).isZero();

        // the hand edit (standing in for the push's own write) changed the fabric under the plan: the push ends
        // STALE, having written nothing, and only now is the zone's absence drift
        assertThat(pushes.push(removal.getId(), "bob").getStatus()).isEqualTo(ChangeSetStatus.STALE);
        // the check it put off runs once the push has ended
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> "DRIFT".equals(
                jdbc.queryForList("select status from fabric_drift_check where fabric_id = ?", String.class,
                        estate.fabricA().getId()).stream().findFirst().orElse(null)));
    }

    @Test
    void aFailedPushThatLeavesItsNewAliasesOnTheSwitchIsNeverReportedAsExactlyAsBefore() {
        Estate estate = estate();
        ChangeSet planned = changeSets.plan(estate.fabricB().getId(), "alice").orElseThrow();
        changeSets.approve(planned.getId(), "bob");
        // the device-aliases commit; the zone session fails; taking the aliases back fails too
        cisco.faults().add("POST", "/ins", "\"zone commit vsan", 1, 1,
                Fault.FAIL);
        cisco.faults().add("POST", "/ins", "no device-alias name", 1, 5, Fault.FAIL);
        pushes.startPush(planned.getId(), "bob");
        ChangeSet failed = pushes.push(planned.getId(), "bob");
        cisco.faults().clear();
        List<String> added = changeSets.stored(planned).plan().change().addAliases().stream()
                .map(Alias::name).toList();
        assertThat(added).isNotEmpty();
        assertThat(cisco.deviceAliases().keySet()).containsAll(added);
        assertThat(failed.getStatus()).isEqualTo(ChangeSetStatus.FAILED);
        assertThat(failed.getOutcome()).isEqualTo(ChangeSet.Outcome.UNKNOWN);
        assertThat(failed.getResultMessage()).contains("this push created are still on the switch");
    }

    @Test
    void approvalRefusesAPlanTheFabricMovedAwayFromAndPlanAgainKeepsItsScope() throws Exception {
        Estate estate = estate();
        Host host = hostOnBothFabrics(estate);
        Vm other = fixtures.vm(host);
        vms.allocateIdentityAndAssignVfs(other.getId(), fixtures.pool(16).getId(), "alice");
        access.grant(other.getId(), estate.array().getId(), "alice");
        ChangeSet scoped = changeSets.plan(estate.fabricA().getId(),
                new ChangeSetService.PlanScope(Set.of(estate.vm().getId()), Set.of()), "alice").orElseThrow();

        // someone changes the fabric by hand before the approver gets to it
        brocade.seedZone(VF, "prod_cfg", "manual_late_zone", List.of("10:00:00:10:9b:ee:ee:09",
                "50:06:01:60:3b:a0:11:22"));
        mvc.perform(post("/api/changes/{id}/approve", scoped.getId()).with(user("bob").roles("APPROVER")))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail", containsString("The fabric changed since change set " + scoped.getId())));
        assertThat(changeSets.get(scoped.getId()).getStatus()).isEqualTo(ChangeSetStatus.STALE);
        assertThat(changeSets.get(scoped.getId()).getApprovedBy()).isNull();

        // plan again: the same VM only, not the whole fabric (the other VM's zone is not in it)
        String answer = mvc.perform(post("/api/changes/{id}/replan", scoped.getId())
                        .with(user("alice").roles("OPERATOR")))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.status").value("PLANNED"))
                .andReturn().getResponse().getContentAsString();
        long again = ((Number) JsonPath.read(answer, "$.id")).longValue();
        ChangeSet replanned = changeSets.get(again);
        List<String> zones = changeSets.stored(replanned).plan().change().addZones().stream()
                .map(Zone::name).toList();
        assertThat(zones).containsExactly("vfz_" + estate.vm().getName() + "_" + estate.array().getName());
        assertThat(changeSets.stored(replanned).plan().effectiveScope().vmIds()).containsExactly(estate.vm().getId());
        // the page's "Plan again" does the same
        mvc.perform(post("/changes/{id}/cancel", again).with(user("alice").roles("OPERATOR"))
                        .with(SecurityMockMvcRequestPostProcessors
                                .csrf()))
                .andExpect(status().is3xxRedirection());
        String page = mvc.perform(post("/changes/{id}/replan", again).with(user("alice").roles("OPERATOR"))
                        .with(SecurityMockMvcRequestPostProcessors
                                .csrf()))
                .andExpect(status().is3xxRedirection()).andReturn().getResponse().getRedirectedUrl();
        long third = Long.parseLong(page.substring(page.lastIndexOf('/') + 1));
        assertThat(third).isNotEqualTo(again);
        assertThat(changeSets.stored(changeSets.get(third)).plan().effectiveScope().vmIds())
                .containsExactly(estate.vm().getId());
    }

    @Test
    void aPushPlansTheQueuedChangeSetsAgainInPlaceAndAnApprovalStandsOnlyForTheSameRequests() {
        Estate estate = estate();
        Host host = hostOnBothFabrics(estate);
        Vm second = fixtures.vm(host);
        vms.allocateIdentityAndAssignVfs(second.getId(), fixtures.pool(16).getId(), "alice");
        // its own array: the first push then shares no alias with it
        StorageArray secondArray = arrays.create(new StorageArrayForm(unique("dell"), "Dell", "", ""));
        arrays.addPort(secondArray.getId(), new TargetPortForm("SPA-0", uniqueWwn(), estate.fabricA().getId()));
        access.grant(second.getId(), secondArray.getId(), "alice");
        long fabric = estate.fabricA().getId();
        ChangeSet first = changeSets.plan(fabric, new ChangeSetService.PlanScope(Set.of(estate.vm().getId()),
                Set.of()), "alice").orElseThrow();
        ChangeSet other = changeSets.plan(fabric, new ChangeSetService.PlanScope(Set.of(second.getId()),
                Set.of()), "alice").orElseThrow();
        ChangeSet whole = changeSets.plan(fabric, "alice").orElseThrow();
        changeSets.approve(first.getId(), "bob");
        changeSets.approve(other.getId(), "bob");
        changeSets.approve(whole.getId(), "bob");

        pushes.startPush(first.getId(), "bob");
        assertThat(pushes.push(first.getId(), "bob").getStatus()).isEqualTo(ChangeSetStatus.DONE);

        // the other VM's change set asks for exactly what it asked before: still approved, and it pushes
        ChangeSet otherNow = changeSets.get(other.getId());
        assertThat(otherNow.getStatus()).isEqualTo(ChangeSetStatus.APPROVED);
        assertThat(otherNow.getResultMessage()).contains("the approval stands");
        // the whole-fabric one now asks for less than was approved: back to PLANNED, saying why
        ChangeSet wholeNow = changeSets.get(whole.getId());
        assertThat(wholeNow.getStatus()).isEqualTo(ChangeSetStatus.PLANNED);
        assertThat(wholeNow.getApprovedBy()).isNull();
        assertThat(wholeNow.getResultMessage()).contains("the requests changed, so it needs approving again");

        pushes.startPush(other.getId(), "bob");
        assertThat(pushes.push(other.getId(), "bob").getStatus()).isEqualTo(ChangeSetStatus.DONE);
        // everything the whole-fabric change set wanted is now there
        assertThat(changeSets.get(whole.getId()).getStatus()).isEqualTo(ChangeSetStatus.CANCELLED);
    }
}
