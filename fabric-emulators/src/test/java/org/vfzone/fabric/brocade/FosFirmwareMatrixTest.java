package org.vfzone.fabric.brocade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
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
import org.vfzone.fabric.Login;
import org.vfzone.fabric.PushOutcome;
import org.vfzone.fabric.SwitchIdentity;
import org.vfzone.fabric.TestClock;
import org.vfzone.fabric.Zone;
import org.vfzone.fabric.ZoneDatabaseLimit;
import org.vfzone.fabric.ZoningChange;
import org.vfzone.fabric.ZoningDatabase;
import org.vfzone.fabric.emulator.Fault;

/**
 * The Brocade driver across the Fabric OS releases a customer runs: 8.2.0 and 8.2.1a ({@code /rest/running/zoning/},
 * XML only), 8.2.1b ({@code brocade-zone}, XML only), 8.2.1c (JSON), 9.0 and 9.2 (JSON, zone-type-string, fabric
 * lock). Each release gets the happy path with an exact preview, drift, a fault at every step of a push, the zone
 * database limit and the CLI script, against an emulator that refuses the wrong dialect.
 */
class FosFirmwareMatrixTest {

    static final int VF = 10;
    static final String HOST_A = "2f:00:00:25:b5:00:00:01";
    static final String HOST_B = "2f:00:00:25:b5:00:00:02";
    static final String TARGET = "52:4a:93:7a:1b:2c:00:00";
    static final String FOREIGN_WWN = "10:00:00:10:9b:aa:bb:01";

    static final List<String> RELEASES = List.of("v8.2.0", "v8.2.1a", "v8.2.1b", "v8.2.1c", "v9.0.1b", "v9.2.0");

    final List<BrocadeFosEmulator> emulators = new ArrayList<>();

    @AfterEach
    void stop() {
        emulators.forEach(BrocadeFosEmulator::close);
    }

    BrocadeFosEmulator switchRunning(String firmware) {
        BrocadeFosEmulator emulator = new BrocadeFosEmulator(0, "admin", "fos-password",
                new TestClock(Instant.parse("2026-06-01T08:00:00Z")), VF);
        emulator.firmwareVersion(firmware);
        emulator.seedAlias(VF, "db_host", FOREIGN_WWN);
        emulator.seedZone(VF, "prod_cfg", "manual_db_zone", List.of("db_host", TARGET));
        emulators.add(emulator);
        return emulator;
    }

    static BrocadeFosRestDriver driver(BrocadeFosEmulator emulator) {
        return new BrocadeFosRestDriver(new FabricEndpoint(FabricVendor.BROCADE_FOS_REST, emulator.baseUrl(), "admin",
                "fos-password", VF, PushOutcome.REQUEST_TIMEOUT, false), 2, Duration.ZERO);
    }

    static ZoningChange addVmZone(String token) {
        return new ZoningChange("prod_cfg", token,
                List.of(new Alias("vfz_web01_a", List.of(HOST_A)), new Alias("vfz_web01_s", List.of(HOST_B))),
                List.of(), List.of(Zone.of("vfz_web01_pure", List.of("vfz_web01_a", "vfz_web01_s", TARGET))),
                List.of(), List.of());
    }

    static ZoningChange changeAndRemove(String token) {
        return new ZoningChange("prod_cfg", token, List.of(), List.of("vfz_web01_s"), List.of(),
                List.of(Zone.of("vfz_web01_pure", List.of("vfz_web01_a", TARGET))), List.of());
    }

    static boolean xmlOnly(String firmware) {
        return firmware.startsWith("v8.2.0") || firmware.equals("v8.2.1a") || firmware.equals("v8.2.1b");
    }

    static String zonePath(String firmware) {
        return firmware.startsWith("v8.2.0") || firmware.equals("v8.2.1a") ? "/rest/running/zoning/"
                : "/rest/running/brocade-zone/";
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"v8.2.0", "v8.2.1a", "v8.2.1b", "v8.2.1c", "v9.0.1b", "v9.2.0"})
    void eachReleaseIsReadPlannedPreviewedExactlyPushedAndVerifiedInItsOwnDialect(String firmware) {
        BrocadeFosEmulator emulator = switchRunning(firmware);
        BrocadeFosRestDriver driver = driver(emulator);

        SwitchIdentity identity = driver.identify();
        assertThat(identity.firmware()).isEqualTo(firmware);
        assertThat(identity.partitionFound()).isTrue();
        assertThat(identity.protocol()).contains(zonePath(firmware)).contains(xmlOnly(firmware) ? "XML" : "JSON");

        for (int step = 0; step < 2; step++) {
            ZoningDatabase live = driver.read();
            assertThat(live.zones().get("manual_db_zone").members()).containsExactly("db_host", TARGET);
            assertThat(live.aliases().get("db_host").wwns()).containsExactly(FOREIGN_WWN);
            assertThat(live.activeConfig()).isEqualTo("prod_cfg");
            assertThat(live.capacity()).isNotNull();
            ZoningChange change = step == 0 ? addVmZone(live.stateToken()) : changeAndRemove(live.stateToken());
            List<String> preview = driver.preview(change, live);
            ZoningDatabase scripted = new FosCliScript(live).apply(driver.cliScript(change, live));
            int before = emulator.requestLog().size();
            driver.push(change);
            List<String> sent = emulator.requestLog().subList(before, emulator.requestLog().size());

            // what the review shows is what went out, byte for byte, in this release's paths and encoding
            assertThat(preview.stream().filter(line -> !line.startsWith("GET ")).toList())
                    .isEqualTo(sent.stream().filter(line -> !line.startsWith("GET ")).toList());
            List<String> writes = sent.stream().filter(line -> line.startsWith("POST " + zonePath(firmware))
                    || line.startsWith("PATCH ") || line.startsWith("DELETE ")).toList();
            assertThat(writes).isNotEmpty().allSatisfy(line -> {
                assertThat(line).contains(zonePath(firmware));
                assertThat(line).contains(xmlOnly(firmware) ? " <" : " {\"");
            });
            if (xmlOnly(firmware)) {
                assertThat(String.join("\n", sent)).doesNotContain("{\"");
            }
            if (zonePath(firmware).equals("/rest/running/zoning/")) {
                assertThat(String.join("\n", sent)).doesNotContain("/rest/running/brocade-zone/");
            }
            ZoningDatabase after = driver.read();
            assertThat(BrocadeFosRestDriverTest.withoutToken(after)).isEqualTo(scripted);
        }
        assertThat(emulator.effectiveZones(VF).get("vfz_web01_pure")).containsExactly(HOST_A, TARGET);
        assertThat(emulator.effectiveZones(VF).get("manual_db_zone")).containsExactly(FOREIGN_WWN, TARGET);
        assertThat(emulator.transactionOpen(VF)).isFalse();
        assertThat(emulator.openSessions()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"v8.2.0", "v8.2.1b", "v8.2.1c", "v9.2.0"})
    void driftIsSeenAndAPlanMadeBeforeItIsRefusedAsStale(String firmware) {
        BrocadeFosEmulator emulator = switchRunning(firmware);
        BrocadeFosRestDriver driver = driver(emulator);
        ZoningDatabase before = driver.read();
        emulator.deleteZoneByHand(VF, "manual_db_zone");
        ZoningDatabase now = driver.read();
        assertThat(now.stateToken()).isNotEqualTo(before.stateToken());
        assertThat(now.zones()).doesNotContainKey("manual_db_zone");
        assertThatThrownBy(() -> driver.push(addVmZone(before.stateToken())))
                .isInstanceOfSatisfying(FabricException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FabricException.Kind.STALE);
                    assertThat(e.transactionClosed()).isTrue();
                });
        assertThat(emulator.effectiveZones(VF)).doesNotContainKey("vfz_web01_pure");
    }

    @Test
    void aFirmwareUpgradeBetweenPlanAndPushMakesThePlanStaleSoTheReviewNeverDiffersFromWhatIsSent() {
        BrocadeFosEmulator emulator = switchRunning("v8.2.1a");
        BrocadeFosRestDriver driver = driver(emulator);
        ZoningDatabase planned = driver.read();
        assertThat(driver.preview(addVmZone(planned.stateToken()), planned))
                .anySatisfy(line -> assertThat(line).startsWith("POST /rest/running/zoning/defined-configuration"));

        emulator.firmwareVersion("v9.1.1b"); // same zone database, new release
        assertThatThrownBy(() -> driver.push(addVmZone(planned.stateToken())))
                .isInstanceOfSatisfying(FabricException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FabricException.Kind.STALE);
                    assertThat(e.getMessage()).contains("firmware changed").contains("v9.1.1b");
                });
        assertThat(emulator.effectiveZones(VF)).doesNotContainKey("vfz_web01_pure");
        ZoningDatabase again = driver.read();
        assertThat(driver.preview(addVmZone(again.stateToken()), again))
                .anySatisfy(line -> assertThat(line).startsWith("POST /rest/running/brocade-zone/defined-configuration"));
        driver.push(addVmZone(again.stateToken()));
        assertThat(emulator.effectiveZones(VF)).containsKey("vfz_web01_pure");
    }

    @Test
    void anOldReleaseRefusesJsonAndTheNewOneHasNoOldPathsSoTheDialectMatters() throws Exception {
        BrocadeFosEmulator old = switchRunning("v8.2.0");
        BrocadeFosEmulator current = switchRunning("v9.2.0");
        String json = "{\"defined-configuration\":{\"zone\":[{\"zone-name\":\"z1\",\"member-entry\":"
                + "{\"entry-name\":[\"" + HOST_A + "\"]}}]}}";
        HttpResponse<String> refused = send(old, "POST", "/rest/running/zoning/defined-configuration?vf-id=" + VF, json);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .contains("xml"));
        assertThat(refused.body()).contains("<error-message>Malformed XML body");
        assertThat(send(current, "GET", "/rest/running/zoning/defined-configuration?vf-id=" + VF, null)
                .statusCode()).isEqualTo(404);
        assertThat(send(old, "GET", "/rest/running/brocade-zone/defined-configuration?vf-id=" + VF, null)
                .statusCode()).isEqualTo(404);

        // the driver finds its way on both: the old container names after the newer one is not found
        assertThat(driver(old).read().stateToken()).endsWith("@ZONING_XML");
        assertThat(driver(current).read().stateToken()).hasSize(32);
        assertThat(old.requestLog()).containsSubsequence("GET /rest/running/brocade-fibrechannel-switch/fibrechannel-switch",
                "GET /rest/running/switch/fibrechannel-switch", "GET /rest/running/zoning/effective-configuration?vf-id=10");
        assertThat(current.requestLog()).doesNotContain("GET /rest/running/switch/fibrechannel-switch");
    }

    /** One request in a session of its own, as another REST client would send it. */
    static HttpResponse<String> send(BrocadeFosEmulator emulator, String method, String path, String body)
            throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String basic = Base64.getEncoder().encodeToString("admin:fos-password".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(emulator.baseUrl().resolve("/rest/login"))
                .POST(HttpRequest.BodyPublishers.noBody()).header("Authorization", "Basic " + basic).build(),
                HttpResponse.BodyHandlers.ofString());
        String key = login.headers().firstValue("Authorization").orElseThrow();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(emulator.baseUrl().resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", key).header("Content-Type", "application/yang-data+json")
                .header("Accept", "application/yang-data+json").build(), HttpResponse.BodyHandlers.ofString());
        http.send(HttpRequest.newBuilder(emulator.baseUrl().resolve("/rest/logout")).POST(HttpRequest.BodyPublishers
                .noBody()).header("Authorization", key).build(), HttpResponse.BodyHandlers.discarding());
        return response;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"v8.2.1a", "v9.2.0"})
    void theNameServerAndTheZoneDatabaseLimitWorkInEitherEncoding(String firmware) {
        BrocadeFosEmulator emulator = switchRunning(firmware);
        BrocadeFosRestDriver driver = driver(emulator);
        assertThat(driver.readLogins()).isEmpty();
        emulator.login(VF, HOST_A, "2f:00:00:25:b5:00:10:01", "0x010200", 12, "web01 <&> \"quoted\"", "FCP-Initiator");
        assertThat(driver.readLogins()).containsExactly(new Login(HOST_A, "2f:00:00:25:b5:00:10:01", "0x010200",
                "port index 12", "web01 <&> \"quoted\"", "FCP-Initiator"));
        ZoneDatabaseLimit.isReadAndEnforced(driver, 1_045_274, max -> emulator.zoneDatabaseMax(VF, max),
                FosFirmwareMatrixTest::addVmZone);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"v8.2.1a", "v9.2.0"})
    void aTransactionHeldByAnotherClientIsRefusedSayingWhoOnlyWhereTheReleaseTellsIt(String firmware) {
        BrocadeFosEmulator emulator = switchRunning(firmware);
        BrocadeFosRestDriver driver = driver(emulator);
        String token = driver.read().stateToken();
        emulator.openForeignTransaction(VF, "jdoe", "192.0.2.15", "SANnav");
        assertThatThrownBy(() -> driver.push(addVmZone(token)))
                .isInstanceOfSatisfying(FabricException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FabricException.Kind.BUSY);
                    if (firmware.startsWith("v9")) {
                        assertThat(e.getMessage()).contains("jdoe").contains("192.0.2.15").contains("SANnav");
                    } else {
                        assertThat(e.getMessage()).doesNotContain("held by");
                    }
                });
    }

    static Stream<Arguments> faultsAtEveryStepOfEachDialect() {
        List<Arguments> cases = new ArrayList<>();
        // 8.2.1b shares the XML encoding with 8.2.0 and the paths with 9.2: the two ends cover it
        for (String firmware : List.of("v8.2.0", "v9.2.0")) {
            boolean xml = xmlOnly(firmware);
            List<String[]> steps = List.of(
                    new String[] {"GET", "switch/fibrechannel-switch", null},
                    new String[] {"GET", "effective-configuration", null},
                    new String[] {"POST", "defined-configuration", xml ? "<alias>" : "\"alias\""},
                    new String[] {"POST", "defined-configuration", xml ? "<zone>" : "\"zone\""},
                    new String[] {"POST", "defined-configuration", xml ? "<cfg>" : "\"cfg\""},
                    new String[] {"PATCH", "effective-configuration", "cfg-name"});
            for (String[] step : steps) {
                for (Fault fault : List.of(Fault.FAIL, Fault.DROP_CONNECTION, Fault.DROP_AFTER_PROCESSING)) {
                    cases.add(Arguments.of(firmware, step[0], step[1], step[2], fault));
                }
            }
        }
        return cases.stream();
    }

    @Execution(ExecutionMode.CONCURRENT)
    @ParameterizedTest(name = "{0}: {4} at {1} {2} {3}")
    @MethodSource("faultsAtEveryStepOfEachDialect")
    void aFaultAtAnyStepLeavesTheFabricBeforeOrAfterInEveryDialect(String firmware, String method, String path,
                                                                    String body, Fault fault) {
        BrocadeFosEmulator emulator = switchRunning(firmware);
        BrocadeFosRestDriver driver = driver(emulator);
        Map<String, List<String>> before = emulator.effectiveZones(VF);
        ZoningDatabase beforeDb = driver.read();
        String token = beforeDb.stateToken();
        emulator.faults().add(method, path, body, 1, 1, fault);

        PushOutcome.assertBeforeOrAfter(() -> driver.push(addVmZone(token)), emulator.faults(),
                () -> emulator.effectiveZones(VF), before, "vfz_web01_pure", List.of(HOST_A, HOST_B, TARGET));
        assertThat(emulator.transactionOpen(VF)).isFalse();
        ZoningDatabase planned = new FosCliScript(beforeDb).apply(driver.cliScript(addVmZone(token), beforeDb));
        assertThat(BrocadeFosRestDriverTest.withoutToken(driver.read()))
                .isIn(BrocadeFosRestDriverTest.withoutToken(beforeDb), planned);
    }
}
