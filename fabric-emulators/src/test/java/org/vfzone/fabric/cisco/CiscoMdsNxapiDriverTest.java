package org.vfzone.fabric.cisco;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.vfzone.fabric.Alias;
import org.vfzone.fabric.FabricEndpoint;
import org.vfzone.fabric.FabricException;
import org.vfzone.fabric.FabricVendor;
import org.vfzone.fabric.FlowReading;
import org.vfzone.fabric.Login;
import org.vfzone.fabric.PushOutcome;
import org.vfzone.fabric.PushReport;
import org.vfzone.fabric.Zone;
import org.vfzone.fabric.ZoningChange;
import org.vfzone.fabric.ZoneDatabaseLimit;
import org.vfzone.fabric.ZoningDatabase;
import org.vfzone.fabric.emulator.Fault;

class CiscoMdsNxapiDriverTest {

    static final int VSAN = 20;
    static final String HOST_A = "2f:00:00:25:b5:00:00:01";
    static final String HOST_B = "2f:00:00:25:b5:00:00:02";
    static final String TARGET = "52:4a:93:7a:1b:2c:00:01";
    static final String FOREIGN = "21:00:00:24:ff:aa:bb:01";
    static final String HOST_C = "2f:00:00:25:b5:00:00:03";

    CiscoMdsEmulator emulator;
    CiscoMdsNxapiDriver driver;

    @BeforeEach
    void start() {
        emulator = new CiscoMdsEmulator("admin", "mds-password", VSAN, 30);
        emulator.seedZone(VSAN, "zs_prod", "manual_backup_zone", List.of(FOREIGN, TARGET));
        driver = driver("mds-password", VSAN, false);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    CiscoMdsNxapiDriver driver(String password, int vsan, boolean smart) {
        return new CiscoMdsNxapiDriver(new FabricEndpoint(FabricVendor.CISCO_MDS_NXAPI, emulator.baseUrl(), "admin",
                password, vsan, PushOutcome.REQUEST_TIMEOUT, smart), Duration.ZERO);
    }

    ZoningChange addVmZone(String token) {
        return new ZoningChange("zs_prod", token, List.of(), List.of(),
                List.of(Zone.of("vfz_web01_pure", List.of(HOST_A, HOST_B, TARGET))), List.of(), List.of());
    }

    @Test
    void aVsanWithNoZonesetIsReadPlannedAndGetsItsFirstZonesetFromThePush() {
        CiscoMdsNxapiDriver empty = driver("mds-password", 30, false);
        ZoningDatabase before = empty.read();
        assertThat(before.activeConfig()).isNull();
        assertThat(before.configs()).isEmpty();
        ZoningChange first = new ZoningChange("vfz_zs", before.stateToken(), List.of(), List.of(),
                List.of(Zone.of("vfz_web01_pure", List.of(HOST_A, TARGET))), List.of(), List.of());
        empty.push(first);
        ZoningDatabase after = empty.read();
        assertThat(after.activeConfig()).isEqualTo("vfz_zs");
        assertThat(emulator.activeZones(30)).containsOnlyKeys("vfz_web01_pure");
        assertThat(emulator.lockOwner(30)).isNull();
    }

    ZoningChange addVmZoneWithAliases(String token) {
        return new ZoningChange("zs_prod", token,
                List.of(new Alias("vfz_web01_act", List.of(HOST_A)),
                        new Alias("vfz_web01_stb", List.of(HOST_B)),
                        new Alias("vfz_pure_ct0", List.of(TARGET))),
                List.of(), List.of(Zone.of("vfz_web01_pure", List.of("vfz_web01_act", "vfz_web01_stb", "vfz_pure_ct0"))),
                List.of(), List.of());
    }

    /**
     * Device-alias basic mode: the switch puts the aliases' pWWNs in the zone instead of their names. The push is
     * verified all the same (members resolve to the same WWNs), the mode is part of the state token, and the
     * connection test names both modes.
     */
    @Test
    void inDeviceAliasBasicModeTheZoneHoldsPwwnsAndThePushIsVerified() {
        String enhancedToken = driver.read().stateToken();
        assertThat(driver.identify().detail()).contains("zoning enhanced mode", "device-aliases enhanced mode");
        emulator.deviceAliasBasicMode(true);
        ZoningDatabase basic = driver.read();
        assertThat(basic.stateToken()).as("the mode is in the state token").isNotEqualTo(enhancedToken);
        assertThat(driver.identify().detail()).contains("device-aliases basic mode");

        PushReport report = driver.push(addVmZoneWithAliases(basic.stateToken()));
        assertThat(report.log()).anyMatch(line -> line.contains("device-alias commit"));
        assertThat(emulator.activeZones(VSAN).get("vfz_web01_pure")).containsExactly(HOST_A, HOST_B, TARGET);
        ZoningDatabase after = driver.read();
        Zone zone = after.zones().get("vfz_web01_pure");
        assertThat(zone.members()).containsExactly(HOST_A, HOST_B, TARGET);
        assertThat(after.resolve(zone)).containsExactlyInAnyOrder(HOST_A, HOST_B, TARGET);
        assertThat(after.aliases()).containsKeys("vfz_web01_act", "vfz_web01_stb", "vfz_pure_ct0");
    }

    @Test
    void zonesNameDeviceAliasesCommittedInTheirOwnSession() {
        PushReport report = driver.push(addVmZoneWithAliases(driver.read().stateToken()));
        assertThat(emulator.deviceAliases()).containsEntry("vfz_web01_act", HOST_A).containsEntry("vfz_pure_ct0", TARGET);
        assertThat(emulator.activeZones(VSAN).get("vfz_web01_pure")).containsExactly(HOST_A, HOST_B, TARGET);
        assertThat(emulator.deviceAliasLockOwner()).isNull();
        assertThat(report.log()).anyMatch(line -> line.contains("device-alias commit"));

        ZoningDatabase db = driver.read();
        assertThat(db.zones().get("vfz_web01_pure").members()).containsExactly("vfz_web01_act", "vfz_web01_stb",
                "vfz_pure_ct0");
        assertThat(db.resolve(db.zones().get("vfz_web01_pure"))).containsExactly(HOST_A, HOST_B, TARGET);

        driver.push(new ZoningChange("zs_prod", db.stateToken(), List.of(), List.of("vfz_web01_act", "vfz_web01_stb",
                "vfz_pure_ct0"), List.of(), List.of(), List.of("vfz_web01_pure")));
        assertThat(emulator.deviceAliases()).isEmpty();
        assertThat(emulator.activeZones(VSAN)).containsOnlyKeys("manual_backup_zone");
    }

    @Test
    void aFailedZoneSessionTakesBackTheDeviceAliasesItAdded() {
        String token = driver.read().stateToken();
        ZoningChange change = addVmZoneWithAliases(token);
        ZoningChange broken = new ZoningChange(change.config(), token, change.addAliases(), List.of(),
                List.of(Zone.of("9bad", List.of("vfz_web01_act", "vfz_pure_ct0"))), List.of(), List.of());
        assertThatThrownBy(() -> driver.push(broken))
                .isInstanceOfSatisfying(FabricException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FabricException.Kind.REJECTED);
                    assertThat(e.transactionClosed()).isTrue();
                });
        assertThat(emulator.deviceAliases()).isEmpty();
        assertThat(emulator.lockOwner(VSAN)).isNull();
        assertThat(emulator.deviceAliasLockOwner()).isNull();
    }

    @Test
    void aDeviceAliasDatabaseLockedBySomeoneElseIsBusyAndNothingIsWritten() {
        String token = driver.read().stateToken();
        emulator.lockDeviceAliasesBy("jdoe");
        assertThatThrownBy(() -> driver.push(addVmZoneWithAliases(token)))
                .isInstanceOfSatisfying(FabricException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FabricException.Kind.BUSY);
                    assertThat(e.getMessage()).contains("jdoe");
                });
        assertThat(emulator.deviceAliases()).isEmpty();
        assertThat(emulator.definedZones(VSAN)).containsExactly("manual_backup_zone");
    }

    @ParameterizedTest(name = "new key names: {0}")
    @ValueSource(booleans = {false, true})
    void readsFullAndActiveDatabaseInBothJsonKeyForms(boolean newKeys) {
        emulator.newKeyNames(newKeys);
        ZoningDatabase db = driver.read();
        assertThat(db.activeConfig()).isEqualTo("zs_prod");
        assertThat(db.configs()).containsEntry("zs_prod", List.of("manual_backup_zone"));
        // one zone, one zoneset: NX-API sends those rows as bare objects
        assertThat(db.zones().get("manual_backup_zone").members()).containsExactly(FOREIGN, TARGET);
        assertThat(db.activeZones()).containsOnlyKeys("manual_backup_zone");
        assertThat(db.stateToken()).hasSize(32);
    }

    @Test
    void readsAFabricWithNothingActive() {
        ZoningDatabase db = driver("mds-password", 30, false).read();
        assertThat(db.activeConfig()).isNull();
        assertThat(db.zones()).isEmpty();
    }

    @Test
    void pushCommitsOneSessionAndKeepsForeignZones() {
        String token = driver.read().stateToken();
        PushReport report = driver.push(addVmZone(token));

        assertThat(emulator.activeZones(VSAN)).containsOnlyKeys("manual_backup_zone", "vfz_web01_pure");
        assertThat(emulator.activeZones(VSAN).get("vfz_web01_pure")).containsExactly(HOST_A, HOST_B, TARGET);
        assertThat(emulator.activeZones(VSAN).get("manual_backup_zone")).containsExactly(FOREIGN, TARGET);
        assertThat(emulator.lockOwner(VSAN)).isNull();
        assertThat(driver.read().stateToken()).isNotEqualTo(token);
        assertThat(report.log()).anyMatch(line -> line.contains("zone commit vsan 20"));
        assertThat(report.log()).noneMatch(line -> line.contains("mds-password"));
    }

    /** The second step of the exactness tests: add an alias and a zone, change a zone, remove an alias. */
    ZoningChange changeAndRemove(String token) {
        return new ZoningChange("zs_prod", token, List.of(new Alias("vfz_web02_act", List.of(HOST_C))),
                List.of("vfz_web01_stb"), List.of(Zone.of("vfz_web02_pure", List.of("vfz_web02_act", "vfz_pure_ct0"))),
                List.of(Zone.of("vfz_web01_pure", List.of("vfz_web01_act", "vfz_pure_ct0"))), List.of());
    }

    @ParameterizedTest(name = "enhanced mode {0}")
    @ValueSource(booleans = {true, false})
    void thePreviewIsExactlyWhatThePushSends(boolean enhanced) {
        if (!enhanced) {
            emulator.basicMode(VSAN);
        }
        for (int step = 0; step < 2; step++) {
            ZoningDatabase live = driver.read();
            ZoningChange change = step == 0 ? addVmZoneWithAliases(live.stateToken()) : changeAndRemove(live.stateToken());
            List<String> preview = driver.preview(change, live);
            int before = emulator.commandLog().size();
            driver.push(change);
            List<List<String>> sent = emulator.commandLog().subList(before, emulator.commandLog().size());
            // the review shows each request as a header line and its commands indented under it
            List<String> shown = new ArrayList<>();
            for (List<String> request : sent) {
                if (request.get(0).startsWith("show ")) {
                    continue;
                }
                shown.add("POST /ins  (JSON-RPC cli, " + request.size() + (request.size() == 1 ? " command)" : " commands)"));
                request.forEach(command -> shown.add("  " + command));
            }
            assertThat(preview.stream().filter(line -> !line.contains("show zone")).toList()).isEqualTo(shown);
        }
    }

    @ParameterizedTest(name = "enhanced mode {0}")
    @ValueSource(booleans = {true, false})
    void theCliScriptPastedIntoTheSwitchGivesThePlannedAfterState(boolean enhanced) {
        try (CiscoMdsEmulator pasted = new CiscoMdsEmulator("admin", "mds-password", VSAN, 30)) {
            pasted.seedZone(VSAN, "zs_prod", "manual_backup_zone", List.of(FOREIGN, TARGET));
            if (!enhanced) {
                emulator.basicMode(VSAN);
                pasted.basicMode(VSAN);
            }
            FabricEndpoint byHandEndpoint = new FabricEndpoint(FabricVendor.CISCO_MDS_NXAPI, pasted.baseUrl(), "admin",
                    "mds-password", VSAN, PushOutcome.REQUEST_TIMEOUT, false);
            CiscoMdsNxapiDriver byHand = new CiscoMdsNxapiDriver(byHandEndpoint, Duration.ZERO);
            // an administrator's terminal: the same NX-API the driver speaks, sending the script's lines as they are
            NxapiClient terminal = new NxapiClient(byHandEndpoint, byHandEndpoint.newClient());
            for (int step = 0; step < 2; step++) {
                ZoningDatabase live = driver.read();
                assertThat(byHand.read()).isEqualTo(live);
                ZoningChange change = step == 0 ? addVmZoneWithAliases(live.stateToken())
                        : changeAndRemove(live.stateToken());
                List<String> script = driver.cliScript(change, live);
                assertThat(script).noneMatch(line -> line.contains("!"));
                driver.push(change);
                // one CLI session, line by line, as a paste is
                terminal.cli(terminal.conversation(), script);
                assertThat(byHand.read()).isEqualTo(driver.read());
                assertThat(pasted.lockOwner(VSAN)).isNull();
            }
        }
    }

    @Test
    void smartZoningMarksInitiatorsAndTargets() {
        emulator.smartZoning(VSAN, true);
        CiscoMdsNxapiDriver smart = driver("mds-password", VSAN, true);
        smart.push(new ZoningChange("zs_prod", smart.read().stateToken(), List.of(), List.of(),
                List.of(new Zone("vfz_peer", List.of(HOST_A, HOST_B), List.of(TARGET))), List.of(), List.of()));
        Zone zone = smart.read().zones().get("vfz_peer");
        assertThat(zone.members()).containsExactly(HOST_A, HOST_B);
        assertThat(zone.principals()).containsExactly(TARGET);
    }

    @Test
    void replacesAndRemovesOnlyWhatTheChangeNames() {
        driver.push(addVmZone(driver.read().stateToken()));
        driver.push(new ZoningChange("zs_prod", driver.read().stateToken(), List.of(), List.of(), List.of(),
                List.of(Zone.of("vfz_web01_pure", List.of(HOST_A, TARGET))), List.of()));
        assertThat(emulator.activeZones(VSAN).get("vfz_web01_pure")).containsExactly(HOST_A, TARGET);
        driver.push(new ZoningChange("zs_prod", driver.read().stateToken(), List.of(), List.of(), List.of(), List.of(),
                List.of("vfz_web01_pure")));
        assertThat(emulator.activeZones(VSAN)).containsOnlyKeys("manual_backup_zone");
        assertThat(emulator.definedZones(VSAN)).containsExactly("manual_backup_zone");
    }

    @Test
    void readsTheFcnsDatabaseWithSingleRowsAsObjects() {
        assertThat(driver.readLogins()).isEmpty();
        emulator.login(VSAN, HOST_A, "2f:00:00:25:b5:00:10:01", "0x0a0100", "fc1/5", "web01 QLE2692", "scsi-fcp:init");
        assertThat(driver.readLogins()).containsExactly(new Login(HOST_A, "2f:00:00:25:b5:00:10:01",
                "0x0a0100", "fc1/5", "web01 QLE2692", "scsi-fcp:init"));
        emulator.login(VSAN, TARGET, "52:4a:93:7a:1b:2c:00:ff", "0x0a0200", "fc1/9", "PURE", "scsi-fcp:target");
        assertThat(driver.readLogins()).extracting(Login::wwpn).containsExactly(HOST_A, TARGET);
        assertThat(driver("mds-password", 30, false).readLogins()).isEmpty();
    }

    @Test
    void theZoneDatabasesUseIsReadAndACommitBeyondItsMaximumIsAbortedAndLeavesNothing() {
        ZoneDatabaseLimit.isReadAndEnforced(driver, 4_000_000, max -> emulator.zoneDatabaseMax(VSAN, max),
                this::addVmZone);
        assertThat(emulator.lockOwner(VSAN)).isNull();
    }

    @Test
    void fcaliasesAreMadeAndRemovedInTheZoneSessionAndTheZonesNameThem() {
        ZoningDatabase before = driver.read();
        ZoningChange add = new ZoningChange("zs_prod", before.stateToken(),
                List.of(new Alias("fcalias:vfz_web01_a", List.of(HOST_A)),
                        new Alias("fcalias:vfz_pure_ct0", List.of(TARGET))), List.of(),
                List.of(Zone.of("vfz_web01_pure", List.of("fcalias:vfz_web01_a", "fcalias:vfz_pure_ct0"))),
                List.of(), List.of());
        List<String> preview = driver.preview(add, before);
        assertThat(preview).noneMatch(line -> line.contains("device-alias name") || line.contains("device-alias commit"));
        int requestsBefore = emulator.commandLog().size();
        driver.push(add);
        // one zone session: fcaliases, zone, zoneset, activation and the commit; no device-alias session
        assertThat(emulator.commandLog().subList(requestsBefore, emulator.commandLog().size()).stream()
                .flatMap(List::stream).filter(c -> c.startsWith("fcalias name")))
                .containsExactly("fcalias name vfz_web01_a vsan " + VSAN, "fcalias name vfz_pure_ct0 vsan " + VSAN);
        ZoningDatabase after = driver.read();
        assertThat(after.zones().get("vfz_web01_pure").members())
                .containsExactly("fcalias:vfz_web01_a", "fcalias:vfz_pure_ct0");
        assertThat(after.resolve(after.activeZones().get("vfz_web01_pure"))).containsExactlyInAnyOrder(HOST_A, TARGET);
        assertThat(emulator.deviceAliases()).isEmpty();
        assertThat(emulator.lockOwner(VSAN)).isNull();

        driver.push(new ZoningChange("zs_prod", after.stateToken(), List.of(),
                List.of("fcalias:vfz_web01_a", "fcalias:vfz_pure_ct0"), List.of(), List.of(),
                List.of("vfz_web01_pure")));
        ZoningDatabase removed = driver.read();
        assertThat(removed.zones()).doesNotContainKey("vfz_web01_pure");
        assertThat(removed.aliases()).doesNotContainKeys("fcalias:vfz_web01_a", "fcalias:vfz_pure_ct0");
    }

    @Test
    void sanAnalyticsFlowsAreReadWithTheirFcidsResolvedToWwpns() {
        emulator.login(VSAN, HOST_A, null, "0x320074", "fc1/5", null, "scsi-fcp:init");
        emulator.login(VSAN, TARGET, null, "0x320100", "fc1/33", null, "scsi-fcp:target");
        emulator.analytics(true);
        emulator.flowTraffic(VSAN, "fc1/5", "0x320074", "0x320100", 1000, 400, 8_192_000, 3_276_800);
        // the same flow seen again at the target's port counts once; another VSAN's flow is not this fabric's
        emulator.flowTraffic(VSAN, "fc1/33", "0x320074", "0x320100", 990, 400, 8_110_080, 3_276_800);
        emulator.flowTraffic(30, "fc1/7", "0x330001", "0x330002", 5, 5, 5, 5);
        // a flow whose initiator logged out since is not guessed at
        emulator.flowTraffic(VSAN, "fc1/6", "0x320075", "0x320100", 7, 7, 7, 7);

        FlowReading reading = driver.readFlows();

        assertThat(reading.available()).isTrue();
        assertThat(reading.flows()).containsExactly(new FlowReading.FlowCounters(HOST_A, TARGET, VSAN, "fc1/5", 1000,
                400, 8_192_000, 3_276_800));
        assertThat(reading.unresolved()).isEqualTo(1);
        assertThat(emulator.commandLog().get(emulator.commandLog().size() - 1)).containsExactly("show fcns database detail vsan " + VSAN,
                "show analytics query \"select all from fc-scsi.scsi_initiator_it_flow\"");
    }

    @Test
    void anFcidGivenToAnotherDeviceAfterAReloginIsResolvedAsItIsNow() {
        emulator.login(VSAN, HOST_A, null, "0x320074", "fc1/5", null, null);
        emulator.login(VSAN, TARGET, null, "0x320100", "fc1/33", null, null);
        emulator.analytics(true);
        emulator.flowTraffic(VSAN, "fc1/5", "0x320074", "0x320100", 10, 0, 0, 0);
        assertThat(driver.readFlows().flows()).extracting(FlowReading.FlowCounters::initiatorWwpn).containsExactly(HOST_A);

        emulator.logout(VSAN, HOST_A);
        emulator.login(VSAN, HOST_B, null, "0x320074", "fc1/5", null, null);
        assertThat(driver.readFlows().flows()).extracting(FlowReading.FlowCounters::initiatorWwpn).containsExactly(HOST_B);
    }

    @Test
    void aSwitchWithoutAnalyticsHasNoFlowsAndSaysWhy() {
        FlowReading reading = driver.readFlows();
        assertThat(reading.available()).isFalse();
        assertThat(reading.unavailableReason()).contains("Invalid command");
        assertThat(reading.flows()).isEmpty();
    }

    @Test
    void aLockHeldBySomeoneElseIsFabricBusyAndNothingIsWritten() {
        String token = driver.read().stateToken();
        emulator.lockBy(VSAN, "jdoe");
        assertThatThrownBy(() -> driver.push(addVmZone(token)))
                .isInstanceOfSatisfying(FabricException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FabricException.Kind.BUSY);
                    assertThat(e.getMessage()).contains("Fabric busy").contains("jdoe");
                    assertThat(e.transactionClosed()).isTrue();
                });
        assertThat(emulator.lockOwner(VSAN)).isEqualTo("jdoe");
        assertThat(emulator.activeZones(VSAN)).containsOnlyKeys("manual_backup_zone");
    }

    @Test
    void aLockTakenBySomeoneElseBetweenTheReadAndTheFirstChangeIsLeftToThemAndNothingIsWritten() {
        String token = driver.read().stateToken();
        emulator.faults().add("POST", "/ins", "\"zone name ", 1, 1, Fault.FOREIGN_TRANSACTION);
        assertThatThrownBy(() -> driver.push(addVmZone(token)))
                .isInstanceOfSatisfying(FabricException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FabricException.Kind.BUSY);
                    assertThat(e.getMessage()).contains("jdoe");
                    assertThat(e.transactionClosed()).isTrue();
                });
        assertThat(emulator.lockOwner(VSAN)).as("the other administrator's zone session").isEqualTo("jdoe");
        assertThat(emulator.activeZones(VSAN)).containsOnlyKeys("manual_backup_zone");
    }

    /**
     * A zone made by hand of fcaliases (a namespace of its own per VSAN) is read with every member: the fcalias by
     * name, resolving to its pWWNs, never mistaken for a device-alias of the same name. A change to an fcalias's
     * contents changes the state token, so a plan made before it is refused as stale; a push leaves it alone.
     */
    @Test
    void aZoneOfFcaliasesIsReadWholeAndItsFcaliasesAreInTheStateToken() {
        emulator.seedFcalias(VSAN, "ora_hosts", List.of(FOREIGN, HOST_C));
        emulator.seedFcalias(VSAN, "ora_array", List.of(TARGET));
        emulator.seedZoneOfFcaliases(VSAN, "zs_prod", "manual_oracle_zone", List.of("ora_hosts", "ora_array"),
                List.of());
        ZoningDatabase read = driver.read();
        Zone oracle = read.zones().get("manual_oracle_zone");
        assertThat(oracle.members()).containsExactly("fcalias:ora_hosts", "fcalias:ora_array");
        assertThat(read.resolve(oracle)).containsExactlyInAnyOrder(FOREIGN, HOST_C, TARGET);
        assertThat(read.activeZones()).containsKey("manual_oracle_zone");
        assertThat(read.aliases()).containsKeys("fcalias:ora_hosts", "fcalias:ora_array")
                .doesNotContainKeys("ora_hosts", "ora_array");

        String token = read.stateToken();
        emulator.seedFcalias(VSAN, "ora_hosts", List.of(FOREIGN));
        ZoningDatabase after = driver.read();
        assertThat(after.stateToken()).isNotEqualTo(token);
        assertThat(after.resolve(after.zones().get("manual_oracle_zone"))).containsExactlyInAnyOrder(FOREIGN, TARGET);
        assertThatThrownBy(() -> driver.push(addVmZone(token)))
                .isInstanceOfSatisfying(FabricException.class,
                        e -> assertThat(e.kind()).isEqualTo(FabricException.Kind.STALE));

        driver.push(addVmZone(after.stateToken()));
        ZoningDatabase pushed = driver.read();
        assertThat(pushed.zones().get("manual_oracle_zone").members())
                .containsExactly("fcalias:ora_hosts", "fcalias:ora_array");
        assertThat(pushed.activeZones()).containsKeys("manual_oracle_zone", "vfz_web01_pure");
    }

    @Test
    void aChangeSinceThePlanIsStale() {
        String token = driver.read().stateToken();
        emulator.seedZone(VSAN, "zs_prod", "manual_new_zone", List.of(FOREIGN, TARGET));
        assertThatThrownBy(() -> driver.push(addVmZone(token)))
                .isInstanceOfSatisfying(FabricException.class,
                        e -> assertThat(e.kind()).isEqualTo(FabricException.Kind.STALE));
        assertThat(emulator.definedZones(VSAN)).doesNotContain("vfz_web01_pure");
    }

    @Test
    void aBadNameIsRefusedAndTheSessionAborted() {
        String token = driver.read().stateToken();
        assertThatThrownBy(() -> driver.push(new ZoningChange("zs_prod", token, List.of(), List.of(),
                List.of(Zone.of("vfz_ok", List.of(HOST_A, TARGET)), Zone.of("9bad", List.of(HOST_B, TARGET))),
                List.of(), List.of())))
                .isInstanceOfSatisfying(FabricException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FabricException.Kind.REJECTED);
                    assertThat(e.getMessage()).contains("Illegal zone name 9bad");
                    assertThat(e.transactionClosed()).isTrue();
                });
        assertThat(emulator.lockOwner(VSAN)).isNull();
        assertThat(emulator.definedZones(VSAN)).containsExactly("manual_backup_zone");
    }

    @Test
    void wrongCredentialsUnknownVsanAndHtmlGetClearErrors() {
        assertThatThrownBy(() -> driver("nope", VSAN, false).read())
                .isInstanceOfSatisfying(FabricException.class,
                        e -> assertThat(e.kind()).isEqualTo(FabricException.Kind.AUTHENTICATION));
        assertThatThrownBy(() -> driver("mds-password", 999, false).read())
                .isInstanceOfSatisfying(FabricException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FabricException.Kind.REJECTED);
                    assertThat(e.getMessage()).contains("VSAN 999 is not configured");
                });
        emulator.answerHtml(true);
        assertThatThrownBy(() -> driver.read())
                .isInstanceOfSatisfying(FabricException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FabricException.Kind.PROTOCOL);
                    assertThat(e.getMessage()).contains("text/html");
                });
    }

    @Test
    void basicModeAppliesWithoutASession() {
        emulator.basicMode(VSAN);
        driver.push(addVmZone(driver.read().stateToken()));
        assertThat(emulator.activeZones(VSAN)).containsKey("vfz_web01_pure");
        assertThat(emulator.lockOwner(VSAN)).isNull();
    }

    @Test
    void aThousandZonesGoInChunkedCommandLists() {
        List<Zone> zones = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            zones.add(Zone.of("vfz_vm" + i + "_pure", List.of(String.format("2f:00:00:25:b5:01:%02x:%02x", i / 256,
                    i % 256), TARGET)));
        }
        String token = driver.read().stateToken();
        emulator.resetRequestCount();
        PushReport report = driver.push(new ZoningChange("zs_prod", token, List.of(), List.of(), zones, List.of(),
                List.of()));
        // 1 read + 22 requests of at most 200 commands (1,000 zone groups, the zoneset group, activate)
        // + commit + 1 status poll
        assertThat(report.httpRequests()).isEqualTo(25);
        assertThat(emulator.activeZones(VSAN)).hasSize(1001);
    }

    @Test
    void everyRequestStartsInTheSubmodeItNeeds() {
        List<List<String>> groups = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            groups.add(List.of("zone name z" + i + " vsan 20", "member pwwn " + HOST_A, "member pwwn " + TARGET));
        }
        List<String> join = new ArrayList<>(List.of("zoneset name zs vsan 20"));
        for (int i = 0; i < 450; i++) {
            join.add("member z" + i);
        }
        groups.add(join);
        List<List<String>> requests = CiscoMdsNxapiDriver.requests(groups);
        assertThat(requests).allSatisfy(request -> {
            assertThat(request).hasSizeLessThanOrEqualTo(CiscoMdsNxapiDriver.COMMANDS_PER_REQUEST);
            assertThat(request.get(0)).matches("^(zone name|zoneset name) .*");
        });
        assertThat(requests.stream().flatMap(List::stream).filter(c -> c.startsWith("member z"))).hasSize(450);
    }

    static Stream<Arguments> faultsAtEveryStep() {
        List<Arguments> cases = new ArrayList<>();
        List<Object[]> steps = List.of(new Object[] {"show zone status", 1}, new Object[] {"device-alias commit", 1},
                new Object[] {"\"zone name ", 1},
                new Object[] {"zoneset activate", 1}, new Object[] {"\"zone commit", 1},
                new Object[] {"show zone status", 2});
        for (Object[] step : steps) {
            for (Fault fault : List.of(Fault.FAIL, Fault.HANG, Fault.DROP_CONNECTION, Fault.DROP_AFTER_PROCESSING,
                    Fault.HANG_AFTER_PROCESSING)) {
                cases.add(Arguments.of(step[0], step[1], fault));
            }
        }
        return cases.stream();
    }

    // each case has its own emulator and mostly waits on a switch that does not answer: they run side by side
    @Execution(ExecutionMode.CONCURRENT)
    @ParameterizedTest(name = "{2} at request {1} containing {0}")
    @MethodSource("faultsAtEveryStep")
    void aFaultAtAnyStepLeavesTheFabricBeforeOrAfterAndNoLockHeld(String bodyPart, int occurrence, Fault fault) {
        Map<String, List<String>> before = emulator.activeZones(VSAN);
        ZoningDatabase beforeDb = driver.read();
        String token = beforeDb.stateToken();
        emulator.faults().add("POST", "/ins", bodyPart, occurrence, 1, fault);
        PushOutcome.assertBeforeOrAfter(() -> driver.push(addVmZoneWithAliases(token)), emulator.faults(),
                () -> emulator.activeZones(VSAN), before, "vfz_web01_pure", List.of(HOST_A, HOST_B, TARGET));
        assertThat(emulator.lockOwner(VSAN)).isNull();
        assertThat(emulator.deviceAliasLockOwner()).isNull();
        // the exact before- or after-state includes the device-aliases: none dangling, none left without its zone
        assertThat(emulator.missingDeviceAliases(VSAN)).isEmpty();
        if (emulator.activeZones(VSAN).containsKey("vfz_web01_pure")) {
            assertThat(emulator.deviceAliases()).containsEntry("vfz_web01_act", HOST_A)
                    .containsEntry("vfz_web01_stb", HOST_B).containsEntry("vfz_pure_ct0", TARGET);
        } else {
            assertThat(emulator.deviceAliases()).doesNotContainKeys("vfz_web01_act", "vfz_web01_stb", "vfz_pure_ct0");
            // not committed: the whole database, device-aliases included, is exactly as before
            assertThat(driver.read()).isEqualTo(beforeDb);
        }
    }

    @ParameterizedTest(name = "the request containing {0} runs after its timeout")
    @ValueSource(strings = {"\"zone name ", "zoneset activate"})
    void aRequestThatRunsLateAfterItsTimeoutLeavesNoZoneSessionAndThePushSaysWhatWasDone(String bodyPart) {
        // the switch runs the request one second after vfzone gave up on it, and takes the zone session for admin
        emulator.lateBy(PushOutcome.REQUEST_TIMEOUT.plusSeconds(1));
        String token = driver.read().stateToken();
        emulator.faults().add("POST", "/ins", bodyPart, 1, 1, Fault.PROCESS_LATE);
        FabricException failed = Assertions.assertThrows(
                FabricException.class, () -> driver.push(addVmZone(token)));
        assertThat(failed.kind()).isEqualTo(FabricException.Kind.TIMEOUT);
        assertThat(failed.getMessage()).contains("ran on the switch late").contains("aborted it");
        assertThat(failed.transactionClosed()).isTrue();
        assertThat(emulator.lockOwner(VSAN)).isNull();
        assertThat(emulator.activeZones(VSAN)).doesNotContainKey("vfz_web01_pure");
    }
}
