package org.vfzone.provisioning;

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
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import org.awaitility.core.ConditionTimeoutException;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors;
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
import org.vfzone.inventory.Vm;
import org.vfzone.inventory.VmForm;
import org.vfzone.inventory.VmService;
import org.vfzone.inventory.ZoningPolicy;
import org.vfzone.security.AppUser;
import org.vfzone.security.FabricAccess;
import org.vfzone.security.FabricScope;
import org.vfzone.security.People;
import org.vfzone.security.Role;
import org.vfzone.security.UserService;
import org.vfzone.system.RuleViolation;
import org.vfzone.wwn.Wwn;
import org.vfzone.wwn.WwnPool;
import org.vfzone.wwn.WwnPoolForm;
import org.vfzone.wwn.WwnPoolService;
import org.vfzone.zoning.ChangeSet;
import org.vfzone.zoning.ChangeSetService;
import org.vfzone.zoning.ChangeSetStatus;
import org.vfzone.zoning.StandardChanges;
import org.vfzone.zoning.StorageAccessService;
import tools.jackson.databind.json.JsonMapper;

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
        // this test's switches go away: its open jobs must not be taken up later against another test's switch
        jdbc.update("update provision_job set status = 'FAILED', error = 'the test ended', due_at = null "
                + "where status in ('RUNNING', 'WAITING_APPROVAL')");
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
        } catch (ConditionTimeoutException e) {
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
        mvc.perform(get("/api/vms/{id}/hypervisor-config", vmId).with(user("viewer").roles("VIEWER")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.kind").value("VSPHERE"))
                .andExpect(jsonPath("$.parts[1].content", containsString(
                        Long.toString(Wwn.parse(wwpns.get(0)).value()))));

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
        // the steps are a log: the resumed job appended its pushes to what the first pass did
        assertThat(done.steps().subList(0, waiting.steps().size())).extracting(Provisioning.Step::detail)
                .isEqualTo(waiting.steps().stream().map(Provisioning.Step::detail).toList());
        assertThat(done.steps()).filteredOn(step -> step.step().equals("identity")).singleElement()
                .satisfies(step -> assertThat(step.detail()).doesNotContain("already held").contains("WWPN"));
        assertThat(done.steps()).extracting(Provisioning.Step::status).contains("WAITING", "DONE");
        assertThat(done.steps()).allSatisfy(step -> assertThat(step.at()).isNotNull());
        // the audit names who did what: the approver approved; the job pushed for the person who asked for it
        String job = "job " + jobId.toString().substring(0, 8);
        for (Long id : done.changeSetIds()) {
            assertThat(jdbc.queryForList("select action || ' ' || actor || ' ' || coalesce(on_behalf_of, '-') from "
                    + "audit_event where object_type = 'change_set' and object_id = ? order by id", String.class, id))
                    .contains("APPROVE bob -", "PUSH " + job + " alice", "VERIFIED " + job + " alice");
        }
        mvc.perform(get("/api/audit").param("actor", "alice").param("type", "change_set")
                        .with(user("vera").roles("VIEWER")))
                .andExpect(jsonPath("$[?(@.actor == '" + job + "')].onBehalfOf").value(Matchers
                        .everyItem(Matchers.is("alice"))));
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
    WwnPoolService pools;

    @Test
    void aFailedStepLeavesTheEstateAsBeforeAndTheSameCallResumesOnceTheCauseIsFixed() throws Exception {
        WwnPool small = fixtures.pool(2); // the VM needs a WWNN and two pairs: five WWNs
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

        WwnPoolForm form = WwnPoolForm.of(small);
        pools.update(small.getId(), new WwnPoolForm(form.name(), form.naaType(), form.firstWwn(),
                Wwn.parse(form.firstWwn()).plus(15).toString(), form.oui(), form.description()));
        assertThat(provisionOverApi(body)).as("the same job").isEqualTo(jobId);
        Provisioning.Job resumed = awaitStatus(jobId, Provisioning.Status.WAITING_APPROVAL);
        assertThat(resumed.vmId()).isNotNull();
        assertThat(jdbc.queryForObject("select count(*) from wwn_allocation where vm_name = ?", Long.class, name))
                .isEqualTo(5);
    }

    @Test
    void aJobLeftRunningByAStoppedNodeIsTakenOverAndFinished() throws Exception {
        String name = unique("orphan").replace("-", "");
        String request = new JsonMapper().writeValueAsString(
                new Provisioning.ProvisionRequest(name, null, host.getId(), null, new TreeSet<>(
                        Set.of(array.getId())), new TreeSet<>(), poolId));
        UUID id = UUID.randomUUID();
        // as a node that stopped right after taking the call leaves it
        jdbc.update("""
                insert into provision_job (id, kind, job_key, request, status, vm_name, steps, created_by, app_node)
                values (?, 'PROVISION', ?, ?, 'RUNNING', ?, '[]', 'alice', 'vfzone-node-that-stopped')
                """, id, name.toLowerCase(Locale.ROOT), request, name);
        provisioning.kick();
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

    @Autowired
    VmService vmService;
    @Autowired
    StorageAccessService storageAccess;
    @Autowired
    ChangeSetService changeSetService;

    @Test
    void aPolicyForAClusterDoesNotCoverAVmWhoseLabelNamesItWhileItsHostIsElsewhere() {
        activePolicy(true, false);
        Host elsewhere = hosts.create(new HostForm(unique("esx-other"), unique("other-cl"), Hypervisor.ESXI));
        fixtures.adapter(elsewhere, fabricA, 64, 4);
        fixtures.adapter(elsewhere, fabricB, 64, 4);
        // the VM's free-text cluster label names the policy's cluster; its host is in another one
        Vm vm = vmService.create(new VmForm(unique("labelled"), "",
                elsewhere.getId(), cluster));
        vmService.allocateIdentityAndAssignVfs(vm.getId(), poolId, "alice");
        storageAccess.grant(vm.getId(), array.getId(), "alice");
        ChangeSet planned = changeSetService.get(changeSetService.planVm(vm.getId(), "alice").get(0).changeSetId());
        assertThat(planned.getStatus()).isEqualTo(ChangeSetStatus.PLANNED);
        assertThat(planned.getApprovalPolicyId()).isNull();
    }

    @Autowired
    UserService users;

    static final String SCOPED_PASSWORD = "scoped-password-42";

    AppUser operatorOn(Fabric... fabrics) {
        Set<Long> ids = new HashSet<>();
        for (Fabric fabric : fabrics) {
            ids.add(fabric.getId());
        }
        return users.create(unique("scoped"), SCOPED_PASSWORD, Role.OPERATOR,
                FabricScope.only(ids));
    }

    @Test
    void aUserScopedToOneFabricCannotProvisionOrDecommissionAcrossTwoAndNothingChanges() throws Exception {
        AppUser scoped = operatorOn(fabricA);
        var basic = SecurityMockMvcRequestPostProcessors
                .httpBasic(scoped.getUsername(), SCOPED_PASSWORD);
        String name = unique("half").replace("-", "");
        mvc.perform(post("/api/provision").with(basic).contentType(MediaType.APPLICATION_JSON)
                        .content(provisionBody(name, host.getId(), null)))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.detail").value(containsString(fabricB.getName())));
        assertThat(jdbc.queryForObject("select count(*) from provision_job where lower(vm_name) = lower(?)",
                Long.class, name)).isZero();
        assertThat(vmService.findByName(name)).isEmpty();

        // a VM with grants on both fabrics: decommissioning it needs both, and is refused before anything changes
        UUID jobId = provisionOverApi(provisionBody(unique("both").replace("-", ""), host.getId(), null));
        long vmId = awaitStatus(jobId, Provisioning.Status.WAITING_APPROVAL).vmId();
        mvc.perform(post("/api/vms/{id}/decommission", vmId).with(basic))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.detail").value(containsString(fabricB.getName())));
        assertThat(storageAccess.of(vmId)).hasSize(1);
        assertThat(jdbc.queryForObject("select count(*) from provision_job where kind = 'DECOMMISSION' and vm_id = ?",
                Long.class, vmId)).isZero();
    }

    @Test
    void aJobContinuesWithItsOwnersRightsAndStopsSayingWhyWhenTheOwnerLostAFabric() throws Exception {
        AppUser owner = operatorOn(fabricA, fabricB);
        String answer = mvc.perform(post("/api/provision").with(org.springframework.security.test.web.servlet.request
                        .SecurityMockMvcRequestPostProcessors.httpBasic(owner.getUsername(), SCOPED_PASSWORD))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(provisionBody(unique("own").replace("-", ""), host.getId(), null)))
                .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString();
        UUID jobId = UUID.fromString(answer.replaceAll("(?s).*\"id\":\"([0-9a-f-]+)\".*", "$1"));
        Provisioning.Job waiting = awaitStatus(jobId, Provisioning.Status.WAITING_APPROVAL);
        // the owner loses fabric B; an approver with rights everywhere approves both plans
        users.update(owner.getId(), Role.OPERATOR, true,
                FabricScope.only(Set.of(fabricA.getId())));
        for (Long id : waiting.changeSetIds()) {
            mvc.perform(post("/api/changes/{id}/approve", id).with(user("bob").roles("APPROVER")))
                    .andExpect(status().isOk());
        }
        // the job goes on as its owner, not as the approver whose approval woke it: it may not push to B
        Provisioning.Job stopped = awaitStatus(jobId, Provisioning.Status.FAILED);
        assertThat(stopped.error()).contains("You may not push to fabric " + fabricB.getName());
        long pushedAsOwner = jdbc.queryForObject("select count(*) from change_set where id = any (?) and pushed_by = ?",
                Long.class, waiting.changeSetIds().toArray(Long[]::new), owner.getUsername());
        long pushedByOthers = jdbc.queryForObject("select count(*) from change_set where id = any (?) and pushed_by "
                + "is not null and pushed_by <> ?", Long.class, waiting.changeSetIds().toArray(Long[]::new),
                owner.getUsername());
        assertThat(pushedByOthers).isZero();
        assertThat(pushedAsOwner).isLessThanOrEqualTo(1);

        // disabled, the owner cannot have the job continued by anyone's approval either
        users.update(owner.getId(), Role.OPERATOR, false);
        jdbc.update("update provision_job set status = 'RUNNING', due_at = now() where id = ?", jobId);
        provisioning.kick();
        assertThat(awaitStatus(jobId, Provisioning.Status.FAILED).error()).contains("may no longer act");
    }

    @Test
    void withNobodySignedInNoFabricWorkIsAllowed() throws Exception {
        AtomicReference<Throwable> refused = new AtomicReference<>();
        Thread background = new Thread(() -> {
            try {
                changeSetService.plan(fabricA.getId(), "alice");
            } catch (Throwable e) {
                refused.set(e);
            }
        }, "background-work");
        background.start();
        background.join();
        assertThat(refused.get()).isInstanceOf(RuleViolation.class)
                .hasMessageContaining("You may not plan zoning on fabric " + fabricA.getName());
        // vfzone's own identity holds no fabric role either
        assertThat((Boolean) People.runAsSystem(() -> fabricAccess.allows(
                Role.VIEWER, fabricA.getId()))).isFalse();
    }

    @Autowired
    FabricAccess fabricAccess;

    @Test
    void aTriggerArrivingWhileAnotherNodeHoldsTheJobIsNotLost() throws Exception {
        UUID jobId = provisionOverApi(provisionBody(unique("trig").replace("-", ""), host.getId(), null));
        Provisioning.Job waiting = awaitStatus(jobId, Provisioning.Status.WAITING_APPROVAL);
        // another node holds the job in the middle of a pass (its lease runs, the job is not due before it ends)
        jdbc.update("update provision_job set status = 'RUNNING', app_node = 'other-node', lease_until = now() + "
                + "interval '1 hour', due_at = now() + interval '1 hour' where id = ?", jobId);
        activePolicy(true, false); // approves both waiting plans: the trigger arrives, once the approval is committed
        awaitEventsHandled();
        assertThat(jdbc.queryForObject("select due_at <= now() from provision_job where id = ?", Boolean.class, jobId))
                .as("the trigger made the job due").isTrue();
        provisioning.advanceDueJobs();
        assertThat(provisioning.get(jobId).status()).as("not taken while the other node holds it")
                .isEqualTo(Provisioning.Status.RUNNING);
        // that node stopped: its lease lapses, and the trigger it never saw is still there
        jdbc.update("update provision_job set lease_until = now() - interval '1 second' where id = ?", jobId);
        provisioning.kick();
        assertThat(awaitStatus(jobId, Provisioning.Status.DONE).changeSetIds()).containsAll(waiting.changeSetIds());
    }

    @Test
    void aCancelledChangeSetStopsItsJobWithTheReasonAndTheSameCallPlansItAnew() throws Exception {
        String name = unique("cxl").replace("-", "");
        UUID jobId = provisionOverApi(provisionBody(name, host.getId(), null));
        Provisioning.Job waiting = awaitStatus(jobId, Provisioning.Status.WAITING_APPROVAL);
        changeSetService.cancel(waiting.changeSetIds().get(0), "bob");
        Provisioning.Job stopped = awaitStatus(jobId, Provisioning.Status.FAILED);
        assertThat(stopped.error()).contains("was cancelled");
        assertThat(provisionOverApi(provisionBody(name, host.getId(), null))).isEqualTo(jobId);
        Provisioning.Job again = awaitStatus(jobId, Provisioning.Status.WAITING_APPROVAL);
        assertThat(again.changeSetIds()).hasSize(2).doesNotContain(waiting.changeSetIds().get(0));
    }

    @Test
    void aVmDecommissionedAndAskedForAgainGetsANewJob() throws Exception {
        activePolicy(true, true);
        String name = unique("again").replace("-", "");
        UUID first = provisionOverApi(provisionBody(name, host.getId(), null));
        long vmId = awaitStatus(first, Provisioning.Status.DONE).vmId();
        String answer = mvc.perform(post("/api/vms/{id}/decommission", vmId).with(user("alice").roles("OPERATOR")))
                .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString();
        awaitStatus(UUID.fromString(answer.replaceAll("(?s).*\"id\":\"([0-9a-f-]+)\".*", "$1")),
                Provisioning.Status.DONE);
        UUID second = provisionOverApi(provisionBody(name, host.getId(), null));
        assertThat(second).isNotEqualTo(first);
        assertThat(awaitStatus(second, Provisioning.Status.DONE).vmId()).isNotEqualTo(vmId);
    }
}
