package org.vfzone.zoning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.vfzone.IntegrationTest.unique;
import static org.vfzone.IntegrationTest.uniqueWwn;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextImpl;
import org.vfzone.InventoryFixtures;
import org.vfzone.TestDatabase;
import org.vfzone.TestPeople;
import org.vfzone.VfzoneApplication;
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
import org.vfzone.inventory.VmService;
import org.vfzone.inventory.ZoningPolicy;
import org.vfzone.system.AppNode;
import org.vfzone.system.RuleViolation;

/**
 * Two application nodes on one database. A node is killed while its push hangs at the switch; the other node (or
 * the next start) recovers the change set by reading the fabric back, and the fabric takes new pushes.
 */
// application nodes of its own on a database of its own: beside the other classes, one such class at a time
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("servers of their own")
class PushRecoveryTest {

    static final int VF = 10;
    static final int VSAN = 30;
    static final String DATABASE = "vfzone_nodes";

    BrocadeFosEmulator brocade;
    CiscoMdsEmulator cisco;
    final List<ConfigurableApplicationContext> nodes = new ArrayList<>();

    @BeforeEach
    void switches() {
        brocade = new BrocadeFosEmulator("admin", "fos-secret-1", VF);
        brocade.hangFor(Duration.ofMinutes(5));
        cisco = new CiscoMdsEmulator("admin", "mds-secret-1", VSAN);
        cisco.hangFor(Duration.ofMinutes(5));
    }

    @AfterEach
    void stop() {
        nodes.forEach(ConfigurableApplicationContext::close);
        brocade.close();
        cisco.close();
    }

    ConfigurableApplicationContext node() {
        ConfigurableApplicationContext node = new SpringApplicationBuilder(VfzoneApplication.class)
                .properties("spring.datasource.url=" + TestDatabase.url(DATABASE),
                        "spring.datasource.username=" + TestDatabase.username(),
                        "spring.datasource.password=" + TestDatabase.password(),
                        "vfzone.admin-password=recovery-admin-secret", "vfzone.data-dir=target/test-data",
                        // a push hangs at the switch for as long as the test needs: the node is killed meanwhile
                        "vfzone.fabric.request-timeout=120s",
                        "vfzone.scheduling.enabled=false", "server.port=0", "spring.main.banner-mode=off")
                .run();
        TestPeople.ensure(node.getBean(JdbcTemplate.class));
        nodes.add(node);
        return node;
    }

    /**
     * Kills a node as a crash would, as far as the rest of the world can tell: its database connections go first
     * (it writes nothing more), then its threads stop, then what is left of it.
     */
    void kill(ConfigurableApplicationContext node) {
        node.getBean(HikariDataSource.class).close();
        node.getBean("applicationTaskExecutor", ThreadPoolTaskExecutor.class).getThreadPoolExecutor().shutdownNow();
        node.close();
        nodes.remove(node);
    }

    /**
     * Waits until {@code observer} sees the killed node as gone: the server ends a dead client's sessions soon after
     * its connections close, not at the same instant. Bounded only so a broken check fails instead of hanging.
     */
    static void awaitGone(String nodeId, ConfigurableApplicationContext observer) {
        AppNode node = observer.getBean(AppNode.class);
        Awaitility.await("node " + nodeId + " seen gone").atMost(Duration.ofSeconds(60))
                .until(() -> !node.isAlive(nodeId));
    }

    record Estate(Fabric fabric, Vm vm, StorageArray array) {
    }

    Estate estate(ConfigurableApplicationContext node, boolean mds) {
        FabricService fabrics = node.getBean(FabricService.class);
        Fabric fabric = mds
                ? fabrics.create(new FabricForm(unique("mds"), "B", "cisco-mds-nxapi", VSAN, cisco.baseUrl().toString(),
                "admin", "", ZoningPolicy.SINGLE_INITIATOR_MULTI_TARGET, "vfz_{vm}_{array}", "vfz_zs", "mds-secret-1"))
                : fabrics.create(new FabricForm(unique("brcd"), "A", "brocade-fos-rest", VF,
                brocade.baseUrl().toString(), "admin", "", ZoningPolicy.SINGLE_INITIATOR_MULTI_TARGET,
                "vfz_{vm}_{array}", "vfz_cfg", "fos-secret-1"));
        InventoryFixtures fixtures = node.getAutowireCapableBeanFactory().createBean(InventoryFixtures.class);
        Host host = fixtures.host();
        fixtures.adapter(host, fabric, 8, 2);
        Vm vm = fixtures.vm(host);
        node.getBean(VmService.class).allocateIdentityAndAssignVfs(vm.getId(), fixtures.pool(16).getId(), "alice");
        StorageArrayService arrays = node.getBean(StorageArrayService.class);
        StorageArray array = arrays.create(new StorageArrayForm(unique("pure"), "Pure Storage", "", ""));
        arrays.addPort(array.getId(), new TargetPortForm("CT0-FC0", uniqueWwn(), fabric.getId()));
        node.getBean(StorageAccessService.class).grant(vm.getId(), array.getId(), "alice");
        return new Estate(fabric, vm, array);
    }

    /** Gives the estate's VM access to one more array on its fabric: a reason for a new change set. */
    void grantAnotherArray(ConfigurableApplicationContext node, Estate estate) {
        StorageArrayService arrays = node.getBean(StorageArrayService.class);
        StorageArray more = arrays.create(new StorageArrayForm(unique("netapp"), "NetApp", "", ""));
        arrays.addPort(more.getId(), new TargetPortForm("0a", uniqueWwn(), estate.fabric().getId()));
        node.getBean(StorageAccessService.class).grant(estate.vm().getId(), more.getId(), "alice");
    }

    @BeforeEach
    void signedIn() {
        // planning and pushing need a signed-in person with rights on the fabric; recovery runs as vfzone itself
        SecurityContextHolder.setContext(
                new SecurityContextImpl(org.springframework.security
                        .authentication.UsernamePasswordAuthenticationToken.authenticated("tester", null, List
                                .of(new SimpleGrantedAuthority("ROLE_ADMIN")))));
    }

    @AfterEach
    void signedOut() {
        SecurityContextHolder.clearContext();
    }

    ChangeSet planAndApprove(ConfigurableApplicationContext node, Fabric fabric) {
        ChangeSetService changeSets = node.getBean(ChangeSetService.class);
        ChangeSet planned = changeSets.plan(fabric.getId(), "alice").orElseThrow();
        return changeSets.approve(planned.getId(), "bob");
    }

    @Test
    void aNodeKilledAfterTheCommitLeavesAChangeSetTheNextStartRecordsAsCommitted() throws Exception {
        ConfigurableApplicationContext first = node();
        Estate estate = estate(first, false);
        ChangeSet approved = planAndApprove(first, estate.fabric());
        // the cfg enable commits; its answer never comes back
        brocade.faults().add("PATCH", "effective-configuration", "cfg-name", 1, 1, Fault.HANG_AFTER_PROCESSING);
        first.getBean(ChangeSetPush.class).pushApproved(approved.getId(), "bob", false);
        assertThat(brocade.faults().awaitFired(Duration.ofMinutes(2))).isTrue();
        String firstNode = first.getBean(AppNode.class).id();
        kill(first);

        ConfigurableApplicationContext second = node();
        // recovered at startup, or (if the dead node's sessions were still ending then) by the next recovery run
        awaitGone(firstNode, second);
        second.getBean(PushRecovery.class).recoverOrphaned();
        ChangeSetService changeSets = second.getBean(ChangeSetService.class);
        ChangeSet recovered = changeSets.get(approved.getId());
        assertThat(recovered.getStatus()).isEqualTo(ChangeSetStatus.DONE);
        assertThat(recovered.getOutcome()).isEqualTo(ChangeSet.Outcome.COMMITTED);
        assertThat(recovered.getResultMessage()).startsWith("Recovered after node loss");
        assertThat(second.getBean(JdbcTemplate.class).queryForObject("select count(*) from audit_event where "
                + "object_type = 'change_set' and object_id = ? and action = 'RECOVER'", Long.class, approved.getId()))
                .isEqualTo(1);

        // the fabric is free: a new change set on it pushes
        grantAnotherArray(second, estate);
        ChangeSet next = planAndApprove(second, estate.fabric());
        assertThat(second.getBean(ChangeSetPush.class).pushApproved(next.getId(), "bob", true).getStatus()).isEqualTo(ChangeSetStatus.DONE);
    }

    @Test
    void aLiveNodesPushIsNotRecoveredAndAnAdminResolvesADeadNodesPushByReadingTheFabricBack() throws Exception {
        ConfigurableApplicationContext first = node();
        ConfigurableApplicationContext second = node();
        Estate estate = estate(first, true);
        ChangeSet approved = planAndApprove(first, estate.fabric());
        // the zone session is open, its edits sent; the commit request never arrives
        cisco.faults().add("POST", "/ins", "\"zone commit vsan", 1, 1, Fault.HANG);
        first.getBean(ChangeSetPush.class).pushApproved(approved.getId(), "bob", false);
        assertThat(cisco.faults().awaitFired(Duration.ofMinutes(2))).isTrue();
        assertThat(cisco.lockOwner(VSAN)).isEqualTo("admin");

        // the node is alive: nobody else touches its push, and a second push to the fabric, from the other node, waits
        ChangeSetService onSecond = second.getBean(ChangeSetService.class);
        ChangeSetPush pushesOnSecond = second.getBean(ChangeSetPush.class);
        grantAnotherArray(second, estate);
        ChangeSet concurrent = planAndApprove(second, estate.fabric());
        assertThatThrownBy(() -> pushesOnSecond.pushApproved(concurrent.getId(), "bob", true))
                .isInstanceOf(RuleViolation.class).hasMessageContaining("is being pushed to fabric");
        onSecond.cancel(concurrent.getId(), "bob");
        assertThat(second.getBean(PushRecovery.class).recoverOrphaned()).isEmpty();
        assertThatThrownBy(() -> pushesOnSecond.resolveByReadBack(approved.getId(), "admin", false))
                .isInstanceOf(RuleViolation.class).hasMessageContaining("still being pushed by a running node");

        String firstNode = first.getBean(AppNode.class).id();
        kill(first);
        awaitGone(firstNode, second);
        ChangeSet resolved = pushesOnSecond.resolveByReadBack(approved.getId(), "admin", false);
        assertThat(resolved.getStatus()).isEqualTo(ChangeSetStatus.FAILED);
        assertThat(resolved.getResultMessage()).startsWith("Resolved by admin after a read-back");
        // the abandoned zone session was vfzone's own: aborted, so the fabric takes the next push
        assertThat(cisco.lockOwner(VSAN)).isNull();
        ChangeSet next = planAndApprove(second, estate.fabric());
        assertThat(pushesOnSecond.pushApproved(next.getId(), "bob", true).getStatus()).isEqualTo(ChangeSetStatus.DONE);
    }
}
