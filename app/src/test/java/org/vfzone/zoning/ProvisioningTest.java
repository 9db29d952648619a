package org.vfzone.zoning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.vfzone.IntegrationTest;
import org.vfzone.InventoryFixtures;
import org.vfzone.fabric.brocade.BrocadeFosEmulator;
import org.vfzone.fabric.cisco.CiscoMdsEmulator;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.FabricForm;
import org.vfzone.inventory.FabricService;
import org.vfzone.inventory.Host;
import org.vfzone.inventory.HostForm;
import org.vfzone.inventory.HostService;
import org.vfzone.inventory.Hypervisor;
import org.vfzone.inventory.StorageArray;
import org.vfzone.inventory.StorageArrayForm;
import org.vfzone.inventory.StorageArrayService;
import org.vfzone.inventory.TargetPortForm;
import org.vfzone.inventory.ZoningPolicy;

/**
 * One call provisions a VM end to end: identity, VFs, grants, a plan per fabric, and (a standard change covering
 * it) the push to the emulated Brocade and MDS switches. One call decommissions it again.
 */
class ProvisioningTest extends IntegrationTest {

    static final int VF = 10;
    static final int VSAN = 20;
    static final Duration AT_MOST = Duration.ofMinutes(2);

    @Autowired
    MockMvc mvc;
    @Autowired
    InventoryFixtures fixtures;
    @Autowired
    FabricService fabrics;
    @Autowired
    HostService hosts;
    @Autowired
    StorageArrayService arrays;
    @Autowired
    StandardChanges standardChanges;
    @Autowired
    Provisioning provisioning;
    @Autowired
    JdbcTemplate jdbc;

    BrocadeFosEmulator brocade;
    CiscoMdsEmulator cisco;
    Fabric fabricA;
    Fabric fabricB;
    StorageArray array;
    String cluster;
    Host host;
    long poolId;

    @BeforeEach
    void estate() {
        brocade = new BrocadeFosEmulator("admin", "fos-secret-1", VF);
        cisco = new CiscoMdsEmulator("admin", "mds-secret-1", VSAN);
        // fabrics in use: an effective config with a zone vfzone does not own
        brocade.seedZone(VF, "prod_cfg", "manual_zone", List.of("10:00:00:10:9b:ee:ee:01", "50:06:01:60:3b:a0:11:22"));
        cisco.seedZone(VSAN, "zs_prod", "manual_zone", List.of("10:00:00:10:9b:ee:ee:01", "50:06:01:60:3b:a0:11:23"));
        fabricA = fixtures.brocadeFabric(brocade, VF, "fos-secret-1");
        fabricB = fixtures.mdsFabric(cisco, VSAN, "mds-secret-1");
        cluster = unique("prov-cl");
        host = hostWithVfs(4);
        array = arrays.create(new StorageArrayForm(unique("pure"), "Pure Storage", "", ""));
        arrays.addPort(array.getId(), new TargetPortForm("CT0-FC0", uniqueWwn(), fabricA.getId()));
        arrays.addPort(array.getId(), new TargetPortForm("CT0-FC1", uniqueWwn(), fabricB.getId()));
        poolId = fixtures.pool(1024).getId();
    }

    Host hostWithVfs(int vfs) {
        Host created = hosts.create(new HostForm(unique("esx-prov"), cluster, Hypervisor.ESXI));
        fixtures.adapter(created, fabricA, 64, vfs);
        fixtures.adapter(created, fabricB, 64, vfs);
        return created;
    }

    @AfterEach
    void stop() {
        brocade.close();
        cisco.close();
    }

    void activePolicy(boolean add, boolean remove) {
        StandardChanges.Policy policy = standardChanges.propose(new StandardChanges.PolicyForm(unique("std"), "",
                Set.of(fabricA.getId(), fabricB.getId()), Set.of(array.getId()), Set.of(cluster), Set.of(),
                ZoningPolicy.SINGLE_INITIATOR_MULTI_TARGET, add, remove, 10, Instant.now().plus(Duration.ofDays(7))),
                "alice");
        standardChanges.approve(policy.id(), "bob");
    }

    String provisionBody(String name, Long hostId, String inCluster) {
        return "{\"name\":\"" + name + "\"," + (hostId != null ? "\"hostId\":" + hostId + "," : "")
                + (inCluster != null ? "\"cluster\":\"" + inCluster + "\"," : "") + "\"arrayIds\":[" + array.getId()
                + "],\"poolId\":" + poolId + "}";
    }

    UUID provisionOverApi(String body) throws Exception {
        String answer = mvc.perform(post("/api/provision").with(user("alice").roles("OPERATOR"))
                        .contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isAccepted())
                .andReturn().getResponse().getContentAsString();
        return UUID.fromString(answer.replaceAll("(?s).*\"id\":\"([0-9a-f-]+)\".*", "$1"));
    }

    Provisioning.Job awaitStatus(UUID job, Provisioning.Status wanted) {
        try {
            awaitStatusOrTimeout(job, wanted);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("job never became " + wanted + ": " + provisioning.get(job), e);
        }
        return provisioning.get(job);
    }

    void awaitStatusOrTimeout(UUID job, Provisioning.Status wanted) {
        await().atMost(AT_MOST).until(() -> {
            Provisioning.Status now = provisioning.get(job).status();
            if (now == Provisioning.Status.FAILED && wanted != Provisioning.Status.FAILED) {
                throw new AssertionError("job failed: " + provisioning.get(job));
            }
            return now == wanted;
        });
    }

    @Test
    void oneCallProvisionsAndPushesUnderAStandardChangeAndOneCallDecommissions() throws Exception {
        activePolicy(true, true);
        String name = unique("app").replace("-", "");
        UUID jobId = provisionOverApi(provisionBody(name, null, cluster));
        Provisioning.Job job = awaitStatus(jobId, Provisioning.Status.DONE);
        assertThat(job.changeSetIds()).hasSize(2);
        for (Long id : job.changeSetIds()) {
            assertThat(jdbc.queryForObject("select status from change_set where id = ?", String.class, id))
                    .isEqualTo("DONE");
            assertThat(jdbc.queryForObject("select approved_by from change_set where id = ?", String.class, id))
                    .startsWith("standard:");
        }
        long vmId = job.vmId();
        List<String> wwpns = jdbc.queryForList("select active_wwpn from vm_fabric_identity where vm_id = ? "
                + "union all select standby_wwpn from vm_fabric_identity where vm_id = ?", String.class, vmId, vmId);
        assertThat(wwpns).hasSize(4);
        assertThat(brocade.effectiveZones(VF).values().stream().flatMap(List::stream).toList())
                .containsAnyElementsOf(wwpns);
        assertThat(cisco.activeZones(VSAN).values().stream().flatMap(List::stream).toList())
                .containsAnyElementsOf(wwpns);
        mvc.perform(get("/api/vms/{id}/hypervisor-config", vmId).param("kind", "hyperv")
                        .with(user("viewer").roles("VIEWER")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.parts[0].content", containsString(
                        String.format("%016X", org.vfzone.wwn.Wwn.parse(wwpns.get(0)).value()))));

        // the same call again: the same job and VM, nothing allocated twice
        long allocations = jdbc.queryForObject("select count(*) from wwn_allocation where vm_id = ?", Long.class, vmId);
        assertThat(provisionOverApi(provisionBody(name, null, cluster))).isEqualTo(jobId);
        assertThat(jdbc.queryForObject("select count(*) from wwn_allocation where vm_id = ?", Long.class, vmId))
                .isEqualTo(allocations);
        mvc.perform(post("/api/provision").with(user("alice").roles("OPERATOR")).contentType(MediaType.APPLICATION_JSON)
                        .content(provisionBody(name, host.getId(), null)))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail", containsString("other settings")));

        String answer = mvc.perform(post("/api/vms/{id}/decommission", vmId).with(user("alice").roles("OPERATOR")))
                .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString();
        Provisioning.Job gone = awaitStatus(UUID.fromString(answer.replaceAll("(?s).*\"id\":\"([0-9a-f-]+)\".*", "$1")),
                Provisioning.Status.DONE);
        assertThat(gone.steps()).extracting(Provisioning.Step::step).contains("grants", "zoning", "delete");
        assertThat(jdbc.queryForObject("select count(*) from vm where id = ?", Long.class, vmId)).isZero();
        assertThat(brocade.effectiveZones(VF).values().stream().flatMap(List::stream).toList())
                .doesNotContainAnyElementsOf(wwpns);
        assertThat(cisco.activeZones(VSAN).values().stream().flatMap(List::stream).toList())
                .doesNotContainAnyElementsOf(wwpns);
        assertThat(jdbc.queryForObject("select count(*) from wwn_allocation where wwn = any (?) and released_at is "
                + "not null and reusable_after > now()", Long.class, (Object) wwpns.toArray(String[]::new)))
                .as("the WWPNs are quarantined").isEqualTo(4);
    }

    @Test
    void withoutAStandardChangeTheJobWaitsForTheApproverAndThenFinishes() throws Exception {
        UUID jobId = provisionOverApi(provisionBody(unique("db").replace("-", ""), host.getId(), null));
        Provisioning.Job waiting = awaitStatus(jobId, Provisioning.Status.WAITING_APPROVAL);
        assertThat(waiting.changeSetIds()).hasSize(2);
        assertThat(waiting.steps()).anySatisfy(step -> assertThat(step.detail()).contains("an approver approves it"));
        for (Long id : waiting.changeSetIds()) {
            mvc.perform(post("/api/changes/{id}/approve", id).with(user("bob").roles("APPROVER")))
                    .andExpect(status().isOk());
        }
        Provisioning.Job done = awaitStatus(jobId, Provisioning.Status.DONE);
        assertThat(done.changeSetIds()).allSatisfy(id -> assertThat(jdbc.queryForObject(
                "select status from change_set where id = ?", String.class, id)).isEqualTo("DONE"));
    }

    @Test
    void aHundredConcurrentProvisioningCallsNeverShareAWwpnOrAVf() throws Exception {
        for (int i = 0; i < 25; i++) {
            hostWithVfs(4);
        }
        String prefix = unique("many").replace("-", "");
        ExecutorService callers = Executors.newFixedThreadPool(16);
        List<Future<Provisioning.Job>> calls = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String name = prefix + "-" + i;
            calls.add(callers.submit(() -> provisioning.provision(new Provisioning.ProvisionRequest(name, null, null,
                    cluster, Set.of(array.getId()), Set.of(), poolId), "alice")));
        }
        List<UUID> jobs = new ArrayList<>();
        for (Future<Provisioning.Job> call : calls) {
            jobs.add(call.get().id());
        }
        callers.shutdown();
        for (UUID job : jobs) {
            awaitStatus(job, Provisioning.Status.WAITING_APPROVAL);
        }
        List<Long> vmIds = jdbc.queryForList("select id from vm where name like ?", Long.class, prefix + "-%");
        assertThat(vmIds).hasSize(100);
        Long[] ids = vmIds.toArray(Long[]::new);
        assertThat(jdbc.queryForObject("select count(*) from vm_fabric_identity where vm_id = any (?)", Long.class,
                (Object) ids)).isEqualTo(200);
        assertThat(jdbc.queryForObject("""
                select count(distinct w) from (select active_wwpn as w from vm_fabric_identity where vm_id = any (?)
                union all select standby_wwpn from vm_fabric_identity where vm_id = any (?)) all_wwpns""", Long.class,
                ids, ids)).as("400 WWPNs, all different").isEqualTo(400);
        assertThat(jdbc.queryForObject("select count(*) from virtual_function where vm_id = any (?)", Long.class,
                (Object) ids)).as("one VF per VM and fabric").isEqualTo(200);
    }

    @Autowired
    org.vfzone.wwn.WwnPoolService pools;

    @Test
    void aFailedStepLeavesTheEstateAsBeforeAndTheSameCallResumesOnceTheCauseIsFixed() throws Exception {
        org.vfzone.wwn.WwnPool small = fixtures.pool(2); // the VM needs a WWNN and two pairs: five WWNs
        String name = unique("tight").replace("-", "");
        String body = "{\"name\":\"" + name + "\",\"hostId\":" + host.getId() + ",\"arrayIds\":[" + array.getId()
                + "],\"poolId\":" + small.getId() + "}";
        UUID jobId = provisionOverApi(body);
        Provisioning.Job failed = awaitStatus(jobId, Provisioning.Status.FAILED);
        assertThat(failed.error()).contains("call again to continue");
        assertThat(jdbc.queryForObject("select count(*) from vm where name = ?", Long.class, name))
                .as("nothing of the failed step stays").isZero();
        assertThat(jdbc.queryForObject("select count(*) from wwn_allocation where vm_name = ?", Long.class, name))
                .isZero();

        org.vfzone.wwn.WwnPoolForm form = org.vfzone.wwn.WwnPoolForm.of(small);
        pools.update(small.getId(), new org.vfzone.wwn.WwnPoolForm(form.name(), form.naaType(), form.firstWwn(),
                org.vfzone.wwn.Wwn.parse(form.firstWwn()).plus(15).toString(), form.oui(), form.description()));
        assertThat(provisionOverApi(body)).as("the same job").isEqualTo(jobId);
        Provisioning.Job resumed = awaitStatus(jobId, Provisioning.Status.WAITING_APPROVAL);
        assertThat(resumed.vmId()).isNotNull();
        assertThat(jdbc.queryForObject("select count(*) from wwn_allocation where vm_name = ?", Long.class, name))
                .isEqualTo(5);
    }

    @Test
    void aJobLeftRunningByAStoppedNodeIsTakenOverAndFinished() throws Exception {
        String name = unique("orphan").replace("-", "");
        String request = new tools.jackson.databind.json.JsonMapper().writeValueAsString(
                new Provisioning.ProvisionRequest(name, null, host.getId(), null, new java.util.TreeSet<>(
                        Set.of(array.getId())), new java.util.TreeSet<>(), poolId));
        UUID id = UUID.randomUUID();
        // as a node that stopped right after taking the call leaves it
        jdbc.update("""
                insert into provision_job (id, kind, job_key, request, status, vm_name, steps, created_by, app_node)
                values (?, 'PROVISION', ?, ?, 'RUNNING', ?, '[]', 'alice', 'vfzone-node-that-stopped')
                """, id, name.toLowerCase(java.util.Locale.ROOT), request, name);
        provisioning.recoverOrphans();
        Provisioning.Job finished = awaitStatus(id, Provisioning.Status.WAITING_APPROVAL);
        assertThat(finished.vmId()).isNotNull();
        assertThat(finished.changeSetIds()).hasSize(2);
    }

    @Test
    void aStandardChangeActivatedLaterApprovesTheWaitingPlansAndTheJobFinishes() throws Exception {
        UUID jobId = provisionOverApi(provisionBody(unique("late").replace("-", ""), host.getId(), null));
        Provisioning.Job waiting = awaitStatus(jobId, Provisioning.Status.WAITING_APPROVAL);
        assertThat(waiting.changeSetIds()).hasSize(2);
        activePolicy(true, false);
        Provisioning.Job done = awaitStatus(jobId, Provisioning.Status.DONE);
        for (Long id : done.changeSetIds()) {
            String status = jdbc.queryForObject("select status from change_set where id = ?", String.class, id);
            String approvedBy = jdbc.queryForObject("select approved_by from change_set where id = ?", String.class, id);
            assertThat(status).isEqualTo("DONE");
            assertThat(approvedBy).startsWith("standard:");
        }
    }
}
