package org.vfzone.fabric.brocade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.vfzone.fabric.Alias;
import org.vfzone.fabric.FabricEndpoint;
import org.vfzone.fabric.FabricException;
import org.vfzone.fabric.FabricVendor;
import org.vfzone.fabric.Login;
import org.vfzone.fabric.PushOutcome;
import org.vfzone.fabric.PushReport;
import org.vfzone.fabric.TestClock;
import org.vfzone.fabric.Zone;
import org.vfzone.fabric.ZoningChange;
import org.vfzone.fabric.ZoneDatabaseLimit;
import org.vfzone.fabric.ZoningDatabase;
import org.vfzone.fabric.emulator.Fault;

class BrocadeFosRestDriverTest {

    static final int VF = 10;
    static final String HOST_A = "2f:00:00:25:b5:00:00:01";
    static final String HOST_B = "2f:00:00:25:b5:00:00:02";
    static final String TARGET = "52:4a:93:7a:1b:2c:00:00";
    static final String FOREIGN_WWN = "10:00:00:10:9b:aa:bb:01";
    static final String HOST_C = "2f:00:00:25:b5:00:00:03";

    BrocadeFosEmulator emulator;
    BrocadeFosRestDriver driver;

    TestClock clock;

    @BeforeEach
    void start() {
        clock = new TestClock(Instant.parse("2026-06-01T08:00:00Z"));
        emulator = new BrocadeFosEmulator(0, "admin", "fos-password", clock, VF, 20);
        // a switch that already has zones made by hand: vfzone must leave them alone
        emulator.seedAlias(VF, "db_host", FOREIGN_WWN);
        emulator.seedZone(VF, "prod_cfg", "manual_db_zone", List.of("db_host", TARGET));
        driver = driver("fos-password", VF);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    BrocadeFosRestDriver driver(String password, Integer vf) {
        return new BrocadeFosRestDriver(new FabricEndpoint(FabricVendor.BROCADE_FOS_REST, emulator.baseUrl(), "admin",
                password, vf, PushOutcome.REQUEST_TIMEOUT, false), 2, Duration.ZERO);
    }

    /** Adds an alias and a zone, changes a zone's members, removes an alias it no longer names. */
    ZoningChange changeAndRemove(String checksum) {
        return new ZoningChange("prod_cfg", checksum, List.of(new Alias("vfz_web02_a", List.of(HOST_C))),
                List.of("vfz_web01_s"), List.of(Zone.of("vfz_web02_pure", List.of("vfz_web02_a", "vfz_pure_ct0"))),
                List.of(Zone.of("vfz_web01_pure", List.of("vfz_web01_a", "vfz_pure_ct0"))), List.of());
    }

    static ZoningDatabase withoutToken(ZoningDatabase db) {
        return new ZoningDatabase("", db.activeConfig(), db.configs(), db.zones(), db.aliases(), db.activeZones());
    }

    @Test
    void theCliScriptGivesThePlannedAfterStateFromTheSameStartAsThePush() {
        for (int step = 0; step < 3; step++) {
            ZoningDatabase live = driver.read();
            ZoningChange change = switch (step) {
                case 0 -> addVmZone(live.stateToken());
                case 1 -> changeAndRemove(live.stateToken());
                default -> new ZoningChange("prod_cfg", live.stateToken(), List.of(), List.of("vfz_web02_a"),
                        List.of(), List.of(), List.of("vfz_web02_pure"));
            };
            List<String> script = driver.cliScript(change, live);
            ZoningDatabase scripted = new FosCliScript(live).apply(script);
            driver.push(change);
            assertThat(scripted).isEqualTo(withoutToken(driver.read()));
        }
    }

    @Test
    void aScriptForAFabricWithoutTheCfgCreatesIt() {
        ZoningDatabase empty = ZoningDatabase.empty("0");
        ZoningChange change = new ZoningChange("vfz_cfg", "0", List.of(),
                List.of(), List.of(Zone.of("vfz_a", List.of(HOST_A, TARGET)), Zone.of("vfz_b", List.of(HOST_B, TARGET))),
                List.of(), List.of());
        ZoningDatabase scripted = new FosCliScript(empty).apply(driver.cliScript(change, empty));
        assertThat(scripted.configs()).containsEntry("vfz_cfg", List.of("vfz_a", "vfz_b"));
        assertThat(scripted.activeConfig()).isEqualTo("vfz_cfg");
    }

    @Test
    void thePreviewIsExactlyWhatThePushSends() {
        for (int step = 0; step < 2; step++) {
            ZoningDatabase live = driver.read();
            ZoningChange change = step == 0 ? addVmZone(live.stateToken()) : changeAndRemove(live.stateToken());
            List<String> preview = driver.preview(change, live);
            int before = emulator.requestLog().size();
            driver.push(change);
            List<String> sent = emulator.requestLog().subList(before, emulator.requestLog().size());
            assertThat(preview.stream().filter(line -> !line.startsWith("GET ")).toList())
                    .isEqualTo(sent.stream().filter(line -> !line.startsWith("GET ")).toList());
        }
    }

    @Test
    void theZoneDatabasesUseIsReadAndASaveBeyondItsMaximumIsRefusedAndLeavesNothing() {
        ZoneDatabaseLimit.isReadAndEnforced(driver, 1_045_274, max -> emulator.zoneDatabaseMax(VF, max),
                this::addVmZone);
    }

    ZoningChange addVmZone(String expectedChecksum) {
        return new ZoningChange("prod_cfg", expectedChecksum,
                List.of(new Alias("vfz_web01_a", List.of(HOST_A)), new Alias("vfz_web01_s", List.of(HOST_B)),
                        new Alias("vfz_pure_ct0", List.of(TARGET))),
                List.of(),
                List.of(Zone.of("vfz_web01_pure", List.of("vfz_web01_a", "vfz_web01_s", "vfz_pure_ct0"))),
                List.of(), List.of());
    }

    @Test
    void aVirtualFabricWithNoDefinedConfigurationIsReadPlannedAndGetsItsFirstConfigurationFromThePush() {
        BrocadeFosRestDriver empty = driver("fos-password", 20);
        ZoningDatabase before = empty.read();
        assertThat(before.activeConfig()).isNull();
        assertThat(before.configs()).isEmpty();
        assertThat(before.zones()).isEmpty();
        ZoningChange first = new ZoningChange("vfz_cfg", before.stateToken(), List.of(), List.of(),
                List.of(Zone.of("vfz_web01_pure", List.of(HOST_A, TARGET))), List.of(), List.of());
        assertThat(empty.preview(first, before)).isNotEmpty();
        empty.push(first);
        ZoningDatabase after = empty.read();
        assertThat(after.activeConfig()).isEqualTo("vfz_cfg");
        assertThat(after.configs()).containsEntry("vfz_cfg", List.of("vfz_web01_pure"));
        assertThat(emulator.effectiveZones(20)).containsOnlyKeys("vfz_web01_pure");
        assertThat(emulator.transactionOpen(20)).isFalse();
    }

    @Test
    void aTargetCreatedPeerZoneIsMarkedWhetherTheFirmwareSaysItInWordsOrAsANumber() {
        emulator.seedTargetCreatedPeerZone(VF, "prod_cfg", "tdz_array_host", TARGET, List.of(HOST_C));
        for (String firmware : List.of("v9.1.1b", "v8.2.2c")) {
            emulator.firmwareVersion(firmware);
            ZoningDatabase db = driver.read();
            assertThat(db.zones().get("tdz_array_host").targetCreated()).as(firmware).isTrue();
            assertThat(db.zones().get("tdz_array_host").principals()).containsExactly(TARGET);
            assertThat(db.zones().get("manual_db_zone").targetCreated()).as(firmware).isFalse();
        }
    }

    @Test
    void readsDefinedAndEffectiveConfiguration() {
        ZoningDatabase db = driver.read();
        assertThat(db.activeConfig()).isEqualTo("prod_cfg");
        assertThat(db.stateToken()).isEqualTo(emulator.checksum(VF)).hasSize(32);
        assertThat(db.configs()).containsEntry("prod_cfg", List.of("manual_db_zone"));
        assertThat(db.aliases().get("db_host").wwns()).containsExactly(FOREIGN_WWN);
        assertThat(db.resolve(db.zones().get("manual_db_zone"))).containsExactly(FOREIGN_WWN, TARGET);
        assertThat(db.activeZones().get("manual_db_zone").members()).containsExactly(FOREIGN_WWN, TARGET);
        assertThat(emulator.openSessions()).isZero();
    }

    @Test
    void acceptsSingleObjectsWhereListsAreExpected() {
        emulator.singletonsAsObjects(true);
        ZoningDatabase db = driver.read();
        assertThat(db.zones()).containsKey("manual_db_zone");
        assertThat(db.configs().get("prod_cfg")).containsExactly("manual_db_zone");
        assertThat(db.aliases().get("db_host").wwns()).containsExactly(FOREIGN_WWN);
    }

    @Test
    void pushAddsZonesInOneTransactionAndKeepsForeignZones() {
        String checksum = driver.read().stateToken();
        PushReport report = driver.push(addVmZone(checksum));

        assertThat(emulator.effectiveZones(VF)).containsOnlyKeys("manual_db_zone", "vfz_web01_pure");
        assertThat(emulator.effectiveZones(VF).get("vfz_web01_pure")).containsExactlyInAnyOrder(HOST_A, HOST_B, TARGET);
        assertThat(emulator.effectiveZones(VF).get("manual_db_zone")).containsExactly(FOREIGN_WWN, TARGET);
        assertThat(emulator.checksum(VF)).isNotEqualTo(checksum);
        assertThat(emulator.transactionOpen(VF)).isFalse();
        assertThat(emulator.openSessions()).isZero();
        assertThat(report.log()).anyMatch(line -> line.startsWith("PATCH /rest/running/brocade-zone/"
                + "effective-configuration?vf-id=10") && line.contains("\"cfg-name\":\"prod_cfg\"")
                && line.endsWith("-> 204"));
        assertThat(report.log()).noneMatch(line -> line.contains("fos-password"));
    }

    @Test
    void replacesAndRemovesOnlyWhatTheChangeNames() {
        driver.push(addVmZone(driver.read().stateToken()));
        ZoningDatabase before = driver.read();
        driver.push(new ZoningChange("prod_cfg", before.stateToken(), List.of(), List.of("vfz_web01_s"), List.of(),
                List.of(Zone.of("vfz_web01_pure", List.of("vfz_web01_a", "vfz_pure_ct0"))), List.of()));
        assertThat(emulator.effectiveZones(VF).get("vfz_web01_pure")).containsExactlyInAnyOrder(HOST_A, TARGET);

        ZoningDatabase middle = driver.read();
        driver.push(new ZoningChange("prod_cfg", middle.stateToken(), List.of(), List.of("vfz_web01_a", "vfz_pure_ct0"),
                List.of(), List.of(), List.of("vfz_web01_pure")));
        assertThat(emulator.effectiveZones(VF)).containsOnlyKeys("manual_db_zone");
        assertThat(emulator.definedAliases(VF)).containsExactly("db_host");
    }

    @Test
    void peerZonesCarryTheirPrincipals() {
        driver.push(new ZoningChange("prod_cfg", driver.read().stateToken(), List.of(), List.of(),
                List.of(new Zone("vfz_peer", List.of(HOST_A, HOST_B), List.of(TARGET))), List.of(), List.of()));
        ZoningDatabase db = driver.read();
        assertThat(db.zones().get("vfz_peer").principals()).containsExactly(TARGET);
        assertThat(db.zones().get("vfz_peer").members()).containsExactly(HOST_A, HOST_B);
    }

    @Test
    void aStaleChecksumWritesNothing() {
        String old = driver.read().stateToken();
        emulator.seedZone(VF, "prod_cfg", "manual_new_zone", List.of(FOREIGN_WWN, TARGET));
        assertThatThrownBy(() -> driver.push(addVmZone(old)))
                .isInstanceOfSatisfying(FabricException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FabricException.Kind.STALE);
                    assertThat(e.transactionClosed()).isTrue();
                    assertThat(e.getMessage()).contains("changed since the plan");
                });
        assertThat(emulator.definedZones(VF)).doesNotContain("vfz_web01_pure");
        assertThat(emulator.openSessions()).isZero();
    }

    @Test
    void anotherAdminsOpenTransactionMeansBusyNamingWhoHoldsTheLockAndNothingWritten() {
        String checksum = driver.read().stateToken();
        emulator.openForeignTransaction(VF, "jdoe", "192.0.2.44", "SANnav");
        assertThatThrownBy(() -> driver.push(addVmZone(checksum)))
                .isInstanceOfSatisfying(FabricException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FabricException.Kind.BUSY);
                    assertThat(e.getMessage()).contains("open zoning transaction")
                            .contains("held by jdoe from 192.0.2.44 with SANnav, 300 s left");
                });
        assertThat(emulator.effectiveZones(VF)).containsOnlyKeys("manual_db_zone");
    }

    @Test
    void aTransactionAnotherAdministratorOpensDuringThePushIsLeftToThemAndTheirWorkIsNotAborted() {
        String checksum = driver.read().stateToken();
        emulator.faults().add("POST", "defined-configuration", "\"zone\"", 1, 1, Fault.FOREIGN_TRANSACTION);
        assertThatThrownBy(() -> driver.push(addVmZone(checksum)))
                .isInstanceOfSatisfying(FabricException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FabricException.Kind.BUSY);
                    assertThat(e.getMessage()).contains("not the owner");
                    assertThat(e.transactionClosed()).as("nothing of this push is left open").isTrue();
                });
        assertThat(emulator.transactionOpen(VF)).as("the other administrator's transaction").isTrue();
        assertThat(emulator.effectiveZones(VF)).containsOnlyKeys("manual_db_zone");
    }

    @Test
    void aChangeBehindOurBackBeforeTheCommitGoesStaleAndIsAborted() {
        String checksum = driver.read().stateToken();
        emulator.faults().add("PATCH", "effective-configuration", "cfg-name", 1, 1, Fault.CONCURRENT_CHANGE);
        assertThatThrownBy(() -> driver.push(addVmZone(checksum)))
                .isInstanceOfSatisfying(FabricException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FabricException.Kind.STALE);
                    assertThat(e.transactionClosed()).isTrue();
                });
        assertThat(emulator.effectiveZones(VF)).doesNotContainKey("vfz_web01_pure");
        assertThat(emulator.transactionOpen(VF)).isFalse();
    }

    @Test
    void badNamesAreRejectedWithTheSwitchsReasonAndAborted() {
        String checksum = driver.read().stateToken();
        assertThatThrownBy(() -> driver.push(new ZoningChange("prod_cfg", checksum, List.of(), List.of(),
                List.of(Zone.of("9bad name", List.of(HOST_A, TARGET))), List.of(), List.of())))
                .isInstanceOfSatisfying(FabricException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FabricException.Kind.REJECTED);
                    assertThat(e.getMessage()).contains("Invalid zone name 9bad name");
                    assertThat(e.transactionClosed()).isTrue();
                });
        assertThat(emulator.transactionOpen(VF)).isFalse();
        assertThat(emulator.checksum(VF)).isEqualTo(checksum);
    }

    @Test
    void wrongCredentialsUnknownVfIdAndHtmlGetClearErrors() {
        assertThatThrownBy(() -> driver("wrong", VF).read())
                .isInstanceOfSatisfying(FabricException.class,
                        e -> assertThat(e.kind()).isEqualTo(FabricException.Kind.AUTHENTICATION));
        assertThatThrownBy(() -> driver("fos-password", 77).read())
                .isInstanceOfSatisfying(FabricException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FabricException.Kind.REJECTED);
                    assertThat(e.getMessage()).contains("VF ID 77 is not configured");
                });
        assertThat(emulator.openSessions()).isZero();
        emulator.answerHtml(true);
        assertThatThrownBy(() -> driver.read())
                .isInstanceOfSatisfying(FabricException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FabricException.Kind.PROTOCOL);
                    assertThat(e.getMessage()).contains("text/html");
                });
    }

    @Test
    void aSwitchAnsweringXmlGetsAClearError() {
        emulator.answerXml(true);
        assertThatThrownBy(() -> driver.read())
                .isInstanceOfSatisfying(FabricException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FabricException.Kind.PROTOCOL);
                    assertThat(e.getMessage()).contains("application/yang-data+xml").contains("check the URL and port");
                });
        assertThat(emulator.openSessions()).isZero();
    }

    @Test
    void anAbandonedTransactionTimesOutAndNoLongerBlocks() {
        emulator.transactionTimeout(Duration.ofMinutes(5));
        emulator.openForeignTransaction(VF);
        assertThat(emulator.transactionOpen(VF)).isTrue();
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        assertThat(emulator.transactionOpen(VF)).isFalse();
        driver.push(addVmZone(driver.read().stateToken()));
        assertThat(emulator.effectiveZones(VF)).containsKey("vfz_web01_pure");
    }

    @Test
    void readsTheNameServerAsAListOrASingleObjectAndAnEmptyOne() {
        assertThat(driver.readLogins()).isEmpty();
        emulator.login(VF, HOST_A, "2f:00:00:25:b5:00:10:01", "0x010200", 12, "Emulex LPe35002 FV14.0 DV14.2 web01",
                "FCP-Initiator");
        assertThat(driver.readLogins()).containsExactly(new Login(HOST_A, "2f:00:00:25:b5:00:10:01",
                "0x010200", "port index 12", "Emulex LPe35002 FV14.0 DV14.2 web01", "FCP-Initiator"));
        emulator.singletonsAsObjects(true);
        assertThat(driver.readLogins()).extracting(Login::wwpn).containsExactly(HOST_A);
        emulator.singletonsAsObjects(false);
        emulator.login(VF, TARGET, "52:4a:93:7a:1b:2c:00:ff", "0x010300", 20, "PURE FlashArray", "FCP-Target");
        assertThat(driver.readLogins()).hasSize(2);
        assertThat(driver("fos-password", 20).readLogins()).isEmpty();
        assertThat(emulator.openSessions()).isZero();
    }

    @Test
    void retriesABriefServiceUnavailableStorm() {
        emulator.faults().add("GET", "effective-configuration", null, 1, 2, Fault.UNAVAILABLE);
        assertThat(driver.read().activeConfig()).isEqualTo("prod_cfg");
    }

    @Test
    void aThousandZonesGoInABoundedNumberOfRequests() {
        List<Alias> aliases = new ArrayList<>();
        List<Zone> zones = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String a = String.format("2f:00:00:25:b5:01:%02x:%02x", i / 256, i % 256);
            aliases.add(new Alias("vfz_vm" + i + "_a", List.of(a)));
            zones.add(Zone.of("vfz_vm" + i + "_pure", List.of("vfz_vm" + i + "_a", TARGET)));
        }
        String checksum = driver.read().stateToken();
        emulator.resetRequestCount();
        PushReport report = driver.push(new ZoningChange("prod_cfg", checksum, aliases, List.of(), zones, List.of(),
                List.of()));
        // login + firmware + read + 10 alias bodies + 10 zone bodies + 10 cfg bodies + enable + logout = 35
        assertThat(report.httpRequests()).isEqualTo(35);
        assertThat(emulator.requestCount()).isEqualTo(35);
        assertThat(emulator.effectiveZones(VF)).hasSize(1001);
    }

    @Test
    void moreReadsAtOnceThanTheSwitchHasRestSessionsEachGetOneInTurnAndOneIsLeftForTheAdministrator()
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<ZoningDatabase>> reads = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            reads.add(pool.submit(driver::read));
        }
        for (Future<ZoningDatabase> read : reads) {
            assertThat(read.get().activeZones()).containsKey("manual_db_zone");
        }
        pool.shutdown();
        assertThat(emulator.mostSessionsAtOnce()).isBetween(1, BrocadeSession.SESSIONS_PER_SWITCH);
        assertThat(emulator.openSessions()).isZero();
    }

    @Test
    void twoPushesAtOnceOneWinsTheOtherIsRefused() throws Exception {
        String checksum = driver.read().stateToken();
        ZoningChange first = addVmZone(checksum);
        ZoningChange second = new ZoningChange("prod_cfg", checksum, List.of(), List.of(),
                List.of(Zone.of("vfz_other_pure", List.of(HOST_A, TARGET))), List.of(), List.of());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<PushReport>> results = new ArrayList<>();
        for (ZoningChange change : List.of(first, second)) {
            results.add(pool.submit((Callable<PushReport>) () -> driver.push(change)));
        }
        int won = 0;
        for (Future<PushReport> result : results) {
            try {
                result.get();
                won++;
            } catch (ExecutionException e) {
                FabricException failure = (FabricException) e.getCause();
                assertThat(failure.kind()).isIn(FabricException.Kind.STALE, FabricException.Kind.BUSY);
                assertThat(failure.transactionClosed()).isTrue();
            }
        }
        pool.shutdown();
        assertThat(won).isEqualTo(1);
        assertThat(emulator.transactionOpen(VF)).isFalse();
        assertThat(emulator.effectiveZones(VF).keySet()).containsAnyOf("vfz_web01_pure", "vfz_other_pure")
                .hasSize(2);
    }

    static Stream<Arguments> faultsAtEveryStep() {
        List<Arguments> cases = new ArrayList<>();
        List<String[]> steps = List.of(
                new String[] {"POST", "/rest/login", null},
                new String[] {"GET", "effective-configuration", null},
                new String[] {"POST", "defined-configuration", "\"alias\""},
                new String[] {"POST", "defined-configuration", "\"zone\""},
                new String[] {"POST", "defined-configuration", "\"cfg\""},
                new String[] {"PATCH", "effective-configuration", "cfg-name"},
                new String[] {"POST", "/rest/logout", null});
        for (String[] step : steps) {
            for (Fault fault : List.of(Fault.FAIL, Fault.HANG, Fault.DROP_CONNECTION, Fault.DROP_AFTER_PROCESSING,
                    Fault.HANG_AFTER_PROCESSING)) {
                cases.add(Arguments.of(step[0], step[1], step[2], fault));
            }
            cases.add(Arguments.of(step[0], step[1], step[2], Fault.UNAVAILABLE));
        }
        return cases.stream();
    }

    // each case has its own emulator and mostly waits on a switch that does not answer: they run side by side
    @Execution(ExecutionMode.CONCURRENT)
    @ParameterizedTest(name = "{3} at {0} {1} {2}")
    @MethodSource("faultsAtEveryStep")
    void aFaultAtAnyStepLeavesTheFabricBeforeOrAfterAndNoTransactionOpen(String method, String path, String body,
                                                                         Fault fault) {
        Map<String, List<String>> before = emulator.effectiveZones(VF);
        ZoningDatabase beforeDb = driver.read();
        String checksum = beforeDb.stateToken();
        emulator.faults().add(method, path, body, 1, fault == Fault.UNAVAILABLE ? 10 : 1, fault);

        PushOutcome.assertBeforeOrAfter(() -> driver.push(addVmZone(checksum)), emulator.faults(),
                () -> emulator.effectiveZones(VF), before, "vfz_web01_pure", List.of(HOST_A, HOST_B, TARGET));
        assertThat(emulator.transactionOpen(VF)).isFalse();
        // exactly one of the two whole states, defined database included: as before, or before plus the change
        ZoningDatabase planned = new FosCliScript(beforeDb).apply(driver.cliScript(addVmZone(checksum), beforeDb));
        ZoningDatabase now = withoutToken(driver.read());
        assertThat(now).isIn(withoutToken(beforeDb), planned);
        assertThat(emulator.effectiveZones(VF).get("manual_db_zone")).containsExactly(FOREIGN_WWN, TARGET);
    }
}
