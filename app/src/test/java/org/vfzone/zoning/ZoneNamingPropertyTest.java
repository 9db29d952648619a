package org.vfzone.zoning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.vfzone.fabric.Alias;
import org.vfzone.fabric.Zone;
import org.vfzone.fabric.ZoneNames;
import org.vfzone.fabric.ZoningDatabase;
import org.vfzone.fabric.simulated.SimulatedFabricDriver;
import org.vfzone.inventory.ZoningPolicy;

/**
 * Random estates whose VM, array and port names collide once made valid (dots, spaces, case, accents, names past
 * 64 characters): every alias must hold its own object's WWPN and every zone exactly its own VM's initiators and
 * its array's ports.
 */
class ZoneNamingPropertyTest {

    static final List<String> CLASHING = List.of("app.1", "app 1", "APP_1", "app_1", "app-1", "äpp.1", "ápp 1",
            "app#1", "1app", "_1app", "x".repeat(70) + "a", "x".repeat(70) + "b", "X".repeat(70) + "a",
            "web01_act", "web01", "web01 ", "db", "DB", "db.", "pure_CT0", "pure", "pure.CT0");

    record Estate(List<ZonePlanner.Grant> grants, Map<Long, Set<String>> initiatorsOfVm,
                  Map<Long, Set<String>> portsOfArray) {
    }

    static String wwpn(int prefix, int n) {
        return String.format("%02x:00:00:25:b5:%02x:%02x:%02x", prefix, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
    }

    static Estate estate(Random random) {
        int vms = 2 + random.nextInt(10);
        int arrays = 1 + random.nextInt(4);
        Map<Long, List<ZonePlanner.Port>> ports = new HashMap<>();
        Map<Long, String> arrayNames = new HashMap<>();
        Map<Long, Set<String>> portsOfArray = new HashMap<>();
        int wwn = 1;
        for (long array = 1; array <= arrays; array++) {
            arrayNames.put(array, CLASHING.get(random.nextInt(CLASHING.size())));
            List<ZonePlanner.Port> list = new ArrayList<>();
            int count = 1 + random.nextInt(3);
            for (int p = 0; p < count; p++) {
                String portName = random.nextBoolean() ? "CT0" : CLASHING.get(random.nextInt(CLASHING.size()));
                String port = wwpn(0x52, wwn++);
                list.add(new ZonePlanner.Port(portName, port));
                portsOfArray.computeIfAbsent(array, k -> new LinkedHashSet<>()).add(port);
            }
            ports.put(array, list);
        }
        List<ZonePlanner.Grant> grants = new ArrayList<>();
        Map<Long, Set<String>> initiators = new HashMap<>();
        for (long vm = 1; vm <= vms; vm++) {
            String name = CLASHING.get(random.nextInt(CLASHING.size()));
            String active = wwpn(0x2f, wwn++);
            String standby = random.nextInt(5) == 0 ? null : wwpn(0x2f, wwn++);
            Set<String> own = new LinkedHashSet<>();
            own.add(active);
            if (standby != null) {
                own.add(standby);
            }
            initiators.put(vm, own);
            for (long array = 1; array <= arrays; array++) {
                if (random.nextInt(3) > 0) {
                    grants.add(new ZonePlanner.Grant(vm, name, array, arrayNames.get(array), active, standby,
                            ports.get(array)));
                }
            }
        }
        return new Estate(grants, initiators, portsOfArray);
    }

    static ZonePlanner.Settings settings(ZoningPolicy policy, boolean aliases, String template) {
        return new ZonePlanner.Settings(policy, template, "vfz_", "vfz_cfg", aliases, false);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void everyAliasAndZoneHoldsExactlyItsOwnObjects(long seed) {
        Random random = new Random(seed);
        for (int round = 0; round < 25; round++) {
            Estate estate = estate(random);
            ZoningPolicy policy = ZoningPolicy.values()[random.nextInt(ZoningPolicy.values().length)];
            boolean aliases = random.nextBoolean();
            String template = random.nextBoolean() ? "vfz_{vm}_{array}" : "vfz_{vm}";
            ZonePlanner.Settings settings = settings(policy, aliases, template);
            ZonePlanner.Plan plan = ZonePlanner.plan(settings, estate.grants(), ZoningDatabase.empty("0"));

            assertHoldsOwnObjects(plan, estate);

            List<ZonePlanner.Grant> shuffled = new ArrayList<>(estate.grants());
            Collections.shuffle(shuffled, random);
            ZonePlanner.Plan again = ZonePlanner.plan(settings, shuffled, ZoningDatabase.empty("0"));
            assertThat(names(again)).as("the same estate plans the same names").isEqualTo(names(plan));
        }
    }

    @Test
    void aLaterVmWithAClashingNameNeverRenamesAZoneOnTheSwitch() {
        ZonePlanner.Settings settings = settings(ZoningPolicy.SINGLE_INITIATOR_MULTI_TARGET, true, "vfz_{vm}_{array}");
        SimulatedFabricDriver fabric = new SimulatedFabricDriver("naming-" + System.nanoTime());
        List<ZonePlanner.Port> ports = List.of(new ZonePlanner.Port("CT0", wwpn(0x52, 1)));
        // the VM already zoned has the higher id: the switch, not the id, decides who keeps the plain name
        ZonePlanner.Grant first = new ZonePlanner.Grant(9, "app 1", 1, "pure", wwpn(0x2f, 1), wwpn(0x2f, 2), ports);
        ZonePlanner.Plan initial = ZonePlanner.plan(settings, List.of(first), fabric.read());
        fabric.push(initial.change());
        assertThat(initial.change().addZones()).extracting(Zone::name).containsExactly("vfz_app_1_pure");

        ZonePlanner.Grant later = new ZonePlanner.Grant(3, "app.1", 1, "pure", wwpn(0x2f, 3), wwpn(0x2f, 4), ports);
        ZonePlanner.Plan next = ZonePlanner.plan(settings, List.of(later, first), fabric.read());
        assertThat(next.change().removeZones()).isEmpty();
        assertThat(next.change().replaceZones()).isEmpty();
        assertThat(next.change().removeAliases()).isEmpty();
        assertThat(next.change().addZones()).singleElement().satisfies(zone ->
                assertThat(zone.name()).matches("vfz_app_1_pure_[0-9a-f]{8}"));
        fabric.push(next.change());
        Estate estate = new Estate(List.of(first, later), Map.of(9L, Set.of(wwpn(0x2f, 1), wwpn(0x2f, 2)),
                3L, Set.of(wwpn(0x2f, 3), wwpn(0x2f, 4))), Map.of(1L, Set.of(wwpn(0x52, 1))));
        assertHoldsOwnObjects(next, estate);
        assertThat(ZonePlanner.plan(settings, List.of(later, first), fabric.read()).change().isEmpty()).isTrue();

        // the first VM goes: the later one keeps its suffixed names rather than being renamed
        ZonePlanner.Plan removal = ZonePlanner.plan(settings, List.of(later), fabric.read());
        assertThat(removal.change().addZones()).isEmpty();
        assertThat(removal.change().removeZones()).containsExactly("vfz_app_1_pure");
    }

    @Test
    void aNameTheSwitchUsesForOtherWwnsIsNeverReused() {
        ZonePlanner.Settings settings = settings(ZoningPolicy.SINGLE_INITIATOR_MULTI_TARGET, true, "vfz_{vm}_{array}");
        TreeMap<String, Alias> aliases = new TreeMap<>(Map.of("vfz_app_act",
                new Alias("vfz_app_act", List.of("21:00:00:24:ff:00:00:99"))));
        ZoningDatabase live = new ZoningDatabase("ck", null, new TreeMap<>(), new TreeMap<>(), aliases,
                new TreeMap<>());
        ZonePlanner.Grant grant = new ZonePlanner.Grant(1, "app", 1, "pure", wwpn(0x2f, 1), null,
                List.of(new ZonePlanner.Port("CT0", wwpn(0x52, 1))));
        ZonePlanner.Plan plan = ZonePlanner.plan(settings, List.of(grant), live);
        assertThat(plan.change().addAliases()).extracting(Alias::name).doesNotContain("vfz_app_act");
        assertThat(plan.change().addZones().get(0).members()).doesNotContain("vfz_app_act");
        assertHoldsOwnObjects(plan, new Estate(List.of(grant), Map.of(1L, Set.of(wwpn(0x2f, 1))),
                Map.of(1L, Set.of(wwpn(0x52, 1)))));
    }

    static Map<String, List<String>> names(ZonePlanner.Plan plan) {
        Map<String, List<String>> names = new TreeMap<>();
        plan.desired().forEach(d -> names.put(d.zone().name(), d.zone().members()));
        plan.desiredAliases().forEach((name, alias) -> names.put(name, alias.wwns()));
        return names;
    }

    static void assertHoldsOwnObjects(ZonePlanner.Plan plan, Estate estate) {
        Set<String> seen = new HashSet<>();
        for (String name : names(plan).keySet()) {
            assertThat(ZoneNames.problem(name)).as(name).isEmpty();
            assertThat(seen.add(name.toLowerCase(Locale.ROOT))).as("unique name " + name).isTrue();
        }
        ZoningDatabase desired = new ZoningDatabase("", null, new TreeMap<>(), new TreeMap<>(),
                new TreeMap<>(plan.desiredAliases()), new TreeMap<>());
        Set<String> everyWwpn = new HashSet<>();
        estate.initiatorsOfVm().values().forEach(everyWwpn::addAll);
        estate.portsOfArray().values().forEach(everyWwpn::addAll);
        plan.desiredAliases().values().forEach(alias -> {
            assertThat(alias.wwns()).hasSize(1);
            assertThat(everyWwpn).contains(alias.wwns().get(0));
        });
        Map<String, String> aliasOfWwpn = new HashMap<>();
        plan.desiredAliases().values().forEach(alias ->
                assertThat(aliasOfWwpn.put(alias.wwns().get(0), alias.name())).as("one alias per WWPN").isNull());
        long expectedZones = estate.grants().stream().filter(g -> !g.ports().isEmpty()).count();
        Set<String> zoneKeys = new HashSet<>();
        for (ZonePlanner.DesiredZone zone : plan.desired()) {
            zoneKeys.add(zone.vmId() + "/" + zone.arrayId());
            Set<String> resolved = desired.resolve(zone.zone());
            Set<String> initiators = estate.initiatorsOfVm().get(zone.vmId());
            Set<String> ports = estate.portsOfArray().get(zone.arrayId());
            assertThat(resolved).as("zone " + zone.zone().name()).containsAll(initiators);
            Set<String> targets = new HashSet<>(resolved);
            targets.removeAll(initiators);
            assertThat(ports).as("zone " + zone.zone().name() + " holds only its array's ports").containsAll(targets);
            assertThat(targets).isNotEmpty();
        }
        assertThat(zoneKeys).hasSize((int) expectedZones);
        // together the zones of one VM and array hold every port of the array
        for (ZonePlanner.Grant grant : estate.grants()) {
            Set<String> targets = new HashSet<>();
            plan.desired().stream().filter(z -> z.vmId() == grant.vmId() && z.arrayId() == grant.arrayId())
                    .forEach(z -> targets.addAll(desired.resolve(z.zone())));
            assertThat(targets).containsAll(estate.portsOfArray().get(grant.arrayId()));
        }
    }
}
