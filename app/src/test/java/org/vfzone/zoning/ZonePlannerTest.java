package org.vfzone.zoning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.vfzone.fabric.Alias;
import org.vfzone.fabric.Zone;
import org.vfzone.fabric.ZoneNames;
import org.vfzone.fabric.ZoningChange;
import org.vfzone.fabric.ZoningDatabase;
import org.vfzone.fabric.simulated.SimulatedFabricDriver;
import org.vfzone.inventory.ZoningPolicy;

class ZonePlannerTest {

    static final String ACTIVE = "2f:00:00:25:b5:00:00:01";
    static final String STANDBY = "2f:00:00:25:b5:00:00:02";
    static final String T0 = "52:4a:93:7a:1b:2c:00:00";
    static final String T1 = "52:4a:93:7a:1b:2c:01:00";
    static final String HBA = "10:00:00:10:9b:a1:01:00";

    static ZonePlanner.Settings settings(ZoningPolicy policy, boolean aliases) {
        return new ZonePlanner.Settings(policy, "vfz_{vm}_{array}", "vfz_", "vfz_cfg", aliases, false);
    }

    static ZonePlanner.Grant grant() {
        return new ZonePlanner.Grant(1, "web01", 7, "pure", ACTIVE, STANDBY,
                List.of(new ZonePlanner.Port("CT0.FC0", T0), new ZonePlanner.Port("CT1.FC0", T1)), List.of(HBA));
    }

    static ZoningDatabase foreignFabric() {
        TreeMap<String, Zone> zones = new TreeMap<>(Map.of("manual_db", Zone.of("manual_db",
                List.of("10:00:00:00:c9:00:00:01", T0))));
        return new ZoningDatabase("ck1", "prod_cfg", new TreeMap<>(Map.of("prod_cfg", List.of("manual_db"))), zones,
                new TreeMap<>(), new TreeMap<>(zones));
    }

    @Test
    void oneZonePerVmAndArrayWithBothWwpnsAndAllPortsInTheActiveConfig() {
        ZonePlanner.Plan plan = ZonePlanner.plan(settings(ZoningPolicy.SINGLE_INITIATOR_MULTI_TARGET, true),
                List.of(grant()), foreignFabric());
        ZoningChange change = plan.change();
        assertThat(change.config()).isEqualTo("prod_cfg");
        assertThat(change.expectedStateToken()).isEqualTo("ck1");
        assertThat(change.addZones()).containsExactly(Zone.of("vfz_web01_pure",
                List.of("vfz_web01_act", "vfz_web01_stb", "vfz_pure_CT0_FC0", "vfz_pure_CT1_FC0")));
        assertThat(change.addAliases()).extracting(Alias::name)
                .containsExactly("vfz_web01_act", "vfz_web01_stb", "vfz_pure_CT0_FC0", "vfz_pure_CT1_FC0");
        assertThat(change.removeZones()).isEmpty();
        assertThat(change.replaceZones()).isEmpty();
        // the review also says the zone joins the effective config, and that the config is activated again
        assertThat(plan.rows()).filteredOn(row -> row.kind() == ZonePlanner.ReviewRow.Kind.CONFIG)
                .extracting((ZonePlanner.ReviewRow r) -> r.action().name(), ZonePlanner.ReviewRow::name, ZonePlanner.ReviewRow::after)
                .containsExactly(Tuple.tuple("CHANGE", "prod_cfg", List.of("+ vfz_web01_pure")),
                        Tuple.tuple("ACTIVATE", "prod_cfg",
                                List.of("effective: prod_cfg as changed")));
    }

    @Test
    void singleTargetMakesAZonePerPortAndPeerZonesMakeTargetsPrincipals() {
        ZonePlanner.Plan single = ZonePlanner.plan(settings(ZoningPolicy.SINGLE_INITIATOR_SINGLE_TARGET, false),
                List.of(grant()), ZoningDatabase.empty("0"));
        assertThat(single.change().addZones()).containsExactly(
                Zone.of("vfz_web01_pure_CT0_FC0", List.of(ACTIVE, STANDBY, T0)),
                Zone.of("vfz_web01_pure_CT1_FC0", List.of(ACTIVE, STANDBY, T1)));
        assertThat(single.change().config()).isEqualTo("vfz_cfg");

        ZonePlanner.Plan peer = ZonePlanner.plan(settings(ZoningPolicy.PEER, false), List.of(grant()),
                ZoningDatabase.empty("0"));
        assertThat(peer.change().addZones()).containsExactly(new Zone("vfz_web01_pure", List.of(ACTIVE, STANDBY),
                List.of(T0, T1)));
    }

    @Test
    void physicalHbasOfTheVmsHostsAreZonedWhenTheFabricAsks() {
        ZonePlanner.Settings withHbas = new ZonePlanner.Settings(ZoningPolicy.SINGLE_INITIATOR_MULTI_TARGET,
                "vfz_{vm}_{array}", "vfz_", "vfz_cfg", false, true);
        assertThat(ZonePlanner.plan(withHbas, List.of(grant()), ZoningDatabase.empty("0")).change().addZones().get(0)
                .members()).containsExactly(ACTIVE, STANDBY, HBA, T0, T1);
    }

    @Test
    void theFabricMatchingThePlanGivesAnEmptyChangeAndForeignZonesAreNeverTouched() {
        ZonePlanner.Settings settings = settings(ZoningPolicy.SINGLE_INITIATOR_MULTI_TARGET, true);
        SimulatedFabricDriver fabric = new SimulatedFabricDriver("planner-test-" + System.nanoTime());
        ZonePlanner.Plan plan = ZonePlanner.plan(settings, List.of(grant()), fabric.read());
        fabric.push(plan.change());
        ZoningDatabase after = fabric.read();
        assertThat(ZonePlanner.verify(plan, after)).isEmpty();
        assertThat(ZonePlanner.plan(settings, List.of(grant()), after).change().isEmpty()).isTrue();

        ZonePlanner.Plan withForeign = ZonePlanner.plan(settings, List.of(), foreignFabric());
        assertThat(withForeign.change().isEmpty()).isTrue();
    }

    @Test
    void ownedZonesNoLongerWantedAreRemovedWithTheirAliases() {
        ZonePlanner.Settings settings = settings(ZoningPolicy.SINGLE_INITIATOR_MULTI_TARGET, true);
        SimulatedFabricDriver fabric = new SimulatedFabricDriver("planner-test-" + System.nanoTime());
        fabric.push(ZonePlanner.plan(settings, List.of(grant()), fabric.read()).change());

        ZonePlanner.Plan revoke = ZonePlanner.plan(settings, List.of(), fabric.read());
        assertThat(revoke.change().removeZones()).containsExactly("vfz_web01_pure");
        assertThat(revoke.change().removeAliases()).containsExactlyInAnyOrder("vfz_web01_act", "vfz_web01_stb",
                "vfz_pure_CT0_FC0", "vfz_pure_CT1_FC0");
        assertThat(revoke.rows()).filteredOn(row -> row.kind() != ZonePlanner.ReviewRow.Kind.CONFIG)
                .extracting((ZonePlanner.ReviewRow r) -> r.action().name()).containsOnly("REMOVE");
        assertThat(revoke.rows()).filteredOn(row -> row.kind() == ZonePlanner.ReviewRow.Kind.CONFIG)
                .extracting((ZonePlanner.ReviewRow r) -> r.action().name(), ZonePlanner.ReviewRow::before)
                .containsExactly(Tuple.tuple("CHANGE", List.of("− vfz_web01_pure")),
                        Tuple.tuple("ACTIVATE", List.of("effective: vfz_cfg")));
    }

    @Test
    void changedMembersBecomeAChangeRow() {
        ZonePlanner.Settings settings = settings(ZoningPolicy.SINGLE_INITIATOR_MULTI_TARGET, false);
        SimulatedFabricDriver fabric = new SimulatedFabricDriver("planner-test-" + System.nanoTime());
        fabric.push(ZonePlanner.plan(settings, List.of(grant()), fabric.read()).change());
        ZonePlanner.Grant onePortLess = new ZonePlanner.Grant(1, "web01", 7, "pure", ACTIVE, STANDBY,
                List.of(new ZonePlanner.Port("CT0.FC0", T0)));
        ZonePlanner.Plan plan = ZonePlanner.plan(settings, List.of(onePortLess), fabric.read());
        assertThat(plan.change().replaceZones()).containsExactly(Zone.of("vfz_web01_pure", List.of(ACTIVE, STANDBY, T0)));
        assertThat(plan.rows()).filteredOn(row -> row.kind() != ZonePlanner.ReviewRow.Kind.CONFIG).singleElement().satisfies(row -> {
            assertThat(row.action()).isEqualTo(ZonePlanner.ReviewRow.Action.CHANGE);
            assertThat(row.before()).contains(T1);
            assertThat(row.after()).doesNotContain(T1);
        });
    }

    @Test
    void namesAreValidUniqueAndDeterministicEvenWhenLong() {
        String longVm = "a-very-long-virtual-machine-name-for-the-accounting-department-erp";
        ZonePlanner.Grant first = new ZonePlanner.Grant(1, longVm + "-1", 7, "pure", ACTIVE, STANDBY,
                List.of(new ZonePlanner.Port("p", T0)));
        ZonePlanner.Grant second = new ZonePlanner.Grant(2, longVm + "-2", 7, "pure", "2f:00:00:25:b5:00:00:03",
                "2f:00:00:25:b5:00:00:04", List.of(new ZonePlanner.Port("p", T0)));
        ZonePlanner.Plan plan = ZonePlanner.plan(settings(ZoningPolicy.SINGLE_INITIATOR_MULTI_TARGET, false),
                List.of(first, second), ZoningDatabase.empty("0"));
        List<String> names = plan.change().addZones().stream().map(Zone::name).toList();
        assertThat(names).hasSize(2).doesNotHaveDuplicates();
        assertThat(names).allSatisfy(name -> assertThat(ZoneNames.problem(name)).isEmpty());
        assertThat(names).allSatisfy(name -> assertThat(name).hasSizeLessThanOrEqualTo(64));
        assertThat(ZonePlanner.plan(settings(ZoningPolicy.SINGLE_INITIATOR_MULTI_TARGET, false),
                List.of(first, second), ZoningDatabase.empty("0")).change().addZones().stream().map(Zone::name))
                .containsExactlyElementsOf(names);
        assertThat(ZonePlanner.Names.fit("db.prod#1")).isEqualTo("db_prod_1");
    }

    @Test
    void aVmWithoutAPairOrAnArrayWithoutPortsIsAWarning() {
        ZonePlanner.Grant noPair = new ZonePlanner.Grant(1, "web01", 7, "pure", null, null,
                List.of(new ZonePlanner.Port("p", T0)));
        ZonePlanner.Grant noPorts = new ZonePlanner.Grant(2, "web02", 8, "netapp", ACTIVE, STANDBY, List.of());
        ZonePlanner.Plan plan = ZonePlanner.plan(settings(ZoningPolicy.SINGLE_INITIATOR_MULTI_TARGET, false),
                List.of(noPair, noPorts), ZoningDatabase.empty("0"));
        assertThat(plan.change().isEmpty()).isTrue();
        assertThat(plan.warnings()).containsExactly(
                "VM web01 has no WWPN pair on this fabric: no zone to pure",
                "Array netapp has no target port on this fabric: no zone for VM web02");
    }

    @Test
    void aPlanScopedToOneVmChangesOnlyThatVmsZonesNamedAsTheWholeFabricPlanNamesThem() {
        ZonePlanner.Settings settings = settings(ZoningPolicy.SINGLE_INITIATOR_MULTI_TARGET, true);
        // two VMs whose names collide when cut down, so the names depend on both; one zone left from a VM gone
        ZonePlanner.Grant first = new ZonePlanner.Grant(1, "web01", 7, "pure", ACTIVE, STANDBY,
                List.of(new ZonePlanner.Port("CT0.FC0", T0)));
        ZonePlanner.Grant second = new ZonePlanner.Grant(2, "WEB01", 7, "pure", "2f:00:00:25:b5:00:00:03",
                "2f:00:00:25:b5:00:00:04", List.of(new ZonePlanner.Port("CT0.FC0", T0)));
        TreeMap<String, Zone> zones = new TreeMap<>(Map.of("vfz_old_pure",
                Zone.of("vfz_old_pure", List.of("2f:00:00:25:b5:00:00:09", T0))));
        ZoningDatabase live = new ZoningDatabase("ck1", "vfz_cfg", new TreeMap<>(Map.of("vfz_cfg",
                List.of("vfz_old_pure"))), zones, new TreeMap<>(), new TreeMap<>(zones));

        ZonePlanner.Plan whole = ZonePlanner.plan(settings, List.of(first, second), live);
        ZonePlanner.Plan onlySecond = ZonePlanner.plan(settings, List.of(first, second), live,
                new ZonePlanner.Scope(Set.of(2L), Set.of(), Set.of()));

        assertThat(whole.change().addZones()).hasSize(2);
        assertThat(whole.change().removeZones()).containsExactly("vfz_old_pure");
        Zone secondsZone = whole.desired().stream().filter(d -> d.vmId() == 2).findFirst().orElseThrow().zone();
        assertThat(onlySecond.change().addZones()).containsExactly(secondsZone);
        assertThat(onlySecond.change().removeZones()).as("another VM's leftover zone is out of scope").isEmpty();
        assertThat(onlySecond.change().addAliases()).extracting(Alias::wwns).flatExtracting(w -> w)
                .containsExactlyInAnyOrder("2f:00:00:25:b5:00:00:03", "2f:00:00:25:b5:00:00:04", T0);
        assertThat(onlySecond.rows()).extracting(ZonePlanner.ReviewRow::vm).containsOnly("WEB01", null);
        assertThat(onlySecond.desired()).extracting(ZonePlanner.DesiredZone::vmId).containsOnly(2L);

        ZonePlanner.Plan leftover = ZonePlanner.plan(settings, List.of(first, second), live,
                new ZonePlanner.Scope(Set.of(9L), Set.of(), Set.of("vfz_old_pure")));
        assertThat(leftover.change().removeZones()).containsExactly("vfz_old_pure");
        assertThat(leftover.change().addZones()).isEmpty();
    }
}
