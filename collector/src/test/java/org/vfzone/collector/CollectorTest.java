package org.vfzone.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The collector on a fake /sys tree, posting to a receiver that can go down and come back. */
class CollectorTest {

    @TempDir
    Path sys;
    @TempDir
    Path buffer;

    HttpServer receiver;
    final List<String> bodies = new CopyOnWriteArrayList<>();
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    volatile int status = 200;
    volatile String retryAfter;
    volatile String readingsPerRequest;
    final AtomicInteger requests = new AtomicInteger();
    final List<String> reports = new CopyOnWriteArrayList<>();
    final List<String> fpinReports = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        receiver.createContext("/api/traffic/samples", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.incrementAndGet();
            if (status == 200) {
                bodies.add(body);
                authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            } else if (retryAfter != null) {
                exchange.getResponseHeaders().add("Retry-After", retryAfter);
            }
            if (readingsPerRequest != null) {
                exchange.getResponseHeaders().add("Vfzone-Readings-Per-Request", readingsPerRequest);
            }
            byte[] reply = "{\"accepted\":1,\"duplicates\":0,\"rejected\":[]}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        receiver.createContext("/api/hosts/fpin", exchange -> {
            fpinReports.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.createContext("/api/hosts/discovery", exchange -> {
            reports.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        host("host3", "0x2f0000255b000001", "Online", true);
        host("host4", "0x2f0000255b000002", "Linkdown", false);
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
    }

    void host(String name, String portName, String state, boolean fullStats) throws IOException {
        Path host = Files.createDirectories(sys.resolve("class/fc_host").resolve(name));
        Files.writeString(host.resolve("port_name"), portName + "\n");
        Files.writeString(host.resolve("port_state"), state + "\n");
        Path stats = Files.createDirectories(host.resolve("statistics"));
        Files.writeString(stats.resolve("fcp_input_requests"), "0x1a2b\n");
        Files.writeString(stats.resolve("rx_words"), "0x100000\n");
        Files.writeString(stats.resolve("dumped_frames"), "0xffffffffffffffff\n");
        if (fullStats) {
            Files.writeString(stats.resolve("seconds_since_last_reset"), "0x3c\n");
        } else {
            // a statistics read that fails, as it does while the link is down
            Files.createDirectories(stats.resolve("tx_words"));
        }
    }

    URI receiver() {
        return URI.create("http://127.0.0.1:" + receiver.getAddress().getPort());
    }

    Collector collector(int maxBuffered) {
        return new Collector(new Collector.Settings(URI.create("http://127.0.0.1:" + receiver.getAddress().getPort()),
                "vfz_test_token", sys, Duration.ofSeconds(10), buffer, maxBuffered));
    }

    @Test
    void fpinCountersAreReportedAtFirstAndWhenTheyChangeAndAHostWithoutThemReportsNothing() throws IOException {
        Collector collector = collector(10);
        collector.collectOnce(Instant.parse("2026-11-25T06:00:00Z"));
        assertThat(fpinReports).as("a kernel without FPIN counters: nothing to report").isEmpty();

        Path stats = sys.resolve("class/fc_host/host3/statistics");
        Files.writeString(stats.resolve("fpin_cn"), "0x2\n");
        Files.writeString(stats.resolve("fpin_cn_credit_stall"), "0x2\n");
        Files.writeString(stats.resolve("cn_sig_warn"), "0x0\n");
        Path rport = Files.createDirectories(sys.resolve("class/fc_remote_ports/rport-3:0-4"));
        Files.writeString(rport.resolve("port_name"), "0x524a937a1b2c0001\n");
        Files.createDirectories(rport.resolve("statistics"));
        Files.writeString(rport.resolve("statistics/fpin_cn"), "0x5\n");
        Files.writeString(rport.resolve("statistics/fpin_li"), "not a number\n");
        collector.collectOnce(Instant.parse("2026-11-25T06:00:10Z"));
        collector.collectOnce(Instant.parse("2026-11-25T06:00:20Z"));
        assertThat(fpinReports).as("sent once while nothing changes").singleElement().satisfies(report -> assertThat(report)
                .contains("\"timestamp\":\"2026-11-25T06:00:10Z\"", "\"wwpn\":\"2f0000255b000001\"",
                        "\"fpin_cn\":\"0x2\"", "\"fpin_cn_credit_stall\":\"0x2\"", "\"cn_sig_warn\":\"0x0\"",
                        "\"remotePorts\":[{\"wwpn\":\"524a937a1b2c0001\",\"counters\":{\"fpin_cn\":\"0x5\"}}]")
                .doesNotContain("fcp_input_requests").doesNotContain("not a number"));

        Files.writeString(stats.resolve("fpin_cn"), "0x3\n");
        collector.collectOnce(Instant.parse("2026-11-25T06:00:30Z"));
        assertThat(fpinReports).hasSize(2);
        assertThat(fpinReports.get(1)).contains("\"fpin_cn\":\"0x3\"");
    }

    @Test
    void postsOneSnapshotPerFcHostWithTheSysfsCountersAndTheToken() {
        collector(10).collectOnce(Instant.parse("2026-11-25T06:00:00Z"));
        assertThat(bodies).hasSize(1);
        List<String> lines = bodies.get(0).lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines).anySatisfy(line -> assertThat(line)
                .contains("\"wwpn\":\"2f0000255b000001\"", "\"timestamp\":\"2026-11-25T06:00:00Z\"",
                        "\"fcp_input_requests\":\"0x1a2b\"", "\"rx_words\":\"0x100000\"",
                        "\"dumped_frames\":\"0xffffffffffffffff\"", "\"port_state\":\"Online\""));
        assertThat(lines).anySatisfy(line -> assertThat(line).contains("2f0000255b000002", "Linkdown")
                .doesNotContain("tx_words"));
        assertThat(authorizations).containsExactly("Bearer vfz_test_token");
    }

    @Test
    void buffersWhileTheServerIsDownAndResendsOldestFirst() {
        Collector collector = collector(10);
        // a proxy in front of vfzone that cannot reach it
        status = 502;
        collector.collectOnce(Instant.parse("2026-11-25T06:00:00Z"));
        collector.collectOnce(Instant.parse("2026-11-25T06:00:10Z"));
        assertThat(collector.buffered()).hasSize(2);
        assertThat(bodies).isEmpty();

        status = 200;
        collector.collectOnce(Instant.parse("2026-11-25T06:00:20Z"));
        assertThat(bodies).hasSize(3);
        assertThat(bodies.get(1)).contains("06:00:00Z");
        assertThat(bodies.get(2)).contains("06:00:10Z");
        assertThat(collector.buffered()).isEmpty();
    }

    @Test
    void aBusyServerIsLeftAloneForItsRetryAfterWithJitterAndGetsEveryReadingExactlyOnceInTheEnd() {
        Collector collector = new Collector(new Collector.Settings(receiver(), "vfz_test_token", sys,
                Duration.ofSeconds(10), buffer, 100), new Random(7));
        Instant t0 = Instant.parse("2026-11-25T06:00:00Z");
        status = 503;
        retryAfter = "30";
        collector.collectOnce(t0);
        assertThat(requests.get()).isEqualTo(1);
        // within the 30 s asked for, readings wait in the buffer and vfzone hears nothing
        collector.collectOnce(t0.plusSeconds(10));
        collector.collectOnce(t0.plusSeconds(20));
        assertThat(requests.get()).isEqualTo(1);
        assertThat(collector.buffered()).hasSize(3);

        // past the wait and its jitter (at most half of it again), everything arrives, each reading once
        status = 200;
        collector.collectOnce(t0.plusSeconds(50));
        assertThat(collector.buffered()).isEmpty();
        assertThat(bodies).hasSize(4);
        assertThat(bodies.stream().flatMap(body -> body.lines())
                .map(line -> line.replaceAll(".*\"timestamp\":\"([^\"]+)\".*", "$1")).distinct().count())
                .isEqualTo(4);
        assertThat(bodies.stream().mapToLong(body -> body.lines().count()).sum()).isEqualTo(8);
    }

    @Test
    void aBusyServerAsksForSeveralReadingsPerRequestAndGetsThemTogetherEachOnce() {
        Collector collector = collector(100);
        Instant t0 = Instant.parse("2026-11-25T06:00:00Z");
        readingsPerRequest = "3";
        collector.collectOnce(t0);
        assertThat(requests.get()).isEqualTo(1);
        collector.collectOnce(t0.plusSeconds(10));
        collector.collectOnce(t0.plusSeconds(20));
        assertThat(requests.get()).isEqualTo(1);
        collector.collectOnce(t0.plusSeconds(30));
        // the three readings in one request, each with its own time
        assertThat(requests.get()).isEqualTo(2);
        assertThat(bodies.get(1)).contains("06:00:10Z", "06:00:20Z", "06:00:30Z");
        assertThat(bodies.get(1).lines().count()).isEqualTo(6);
        assertThat(collector.buffered()).isEmpty();

        // no longer busy: the collector hears it with its next request, then sends one reading per request again
        readingsPerRequest = "1";
        collector.collectOnce(t0.plusSeconds(40));
        collector.collectOnce(t0.plusSeconds(50));
        collector.collectOnce(t0.plusSeconds(60));
        assertThat(requests.get()).isEqualTo(3);
        collector.collectOnce(t0.plusSeconds(70));
        assertThat(requests.get()).isEqualTo(4);
        assertThat(bodies.get(3)).contains("06:01:10Z").doesNotContain("06:01:00Z");
    }

    @Test
    void aRetryAfterGivenAsADateIsHonouredToo() {
        Collector collector = new Collector(new Collector.Settings(receiver(), "vfz_test_token", sys,
                Duration.ofSeconds(10), buffer, 100), new Random(7));
        Instant t0 = Instant.parse("2026-11-25T06:00:00Z");
        status = 429;
        retryAfter = "Wed, 25 Nov 2026 06:02:00 GMT";
        collector.collectOnce(t0);
        collector.collectOnce(t0.plusSeconds(110));
        assertThat(requests.get()).isEqualTo(1);
        status = 200;
        collector.collectOnce(t0.plusSeconds(200));
        assertThat(bodies).hasSize(3);
    }

    @Test
    void theBufferIsBoundedAndDropsTheOldest() {
        Collector collector = collector(2);
        receiver.stop(0);
        for (int i = 0; i < 4; i++) {
            collector.collectOnce(Instant.parse("2026-11-25T06:00:00Z").plusSeconds(i * 10L));
        }
        List<Path> kept = collector.buffered();
        assertThat(kept).hasSize(2);
        // the two newest readings (06:00:20 and 06:00:30) are the ones kept
        assertThat(kept).allSatisfy(file -> assertThat(readString(file)).containsAnyOf("06:00:20Z", "06:00:30Z"));
        assertThat(kept.stream().map(CollectorTest::readString)).anyMatch(text -> text.contains("06:00:20Z"))
                .anyMatch(text -> text.contains("06:00:30Z"));
    }

    static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void helpPrintsUsageAndExitsZeroAndABadCommandLineExitsTwoWithTheReason() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
            assertThat(Collector.run("collect", "--help")).isZero();
            assertThat(Collector.run("collect", "--interval=ten", "--server=http://x")).isEqualTo(2);
            assertThat(Collector.run("collect")).isEqualTo(2);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("Usage: collect")
                .contains("--server=URL").contains("--token-file=FILE");
        assertThat(errors.toString(StandardCharsets.UTF_8)).contains("--interval")
                .contains("Missing required option: '--server=URL'");
    }

    @TempDir
    Path kvm;

    /**
     * A host's sysfs as the kernel lays it out: the fc_host class links into the PCI device tree (here the public
     * node_exporter fixture's port values), the PCI function has SR-IOV files and virtfn links, and one NPIV vport.
     */
    void kvmHost() throws IOException {
        Path function = Files.createDirectories(kvm.resolve("devices/pci0000:3a/0000:3a:00.0/0000:3b:00.0"));
        Path fcHost = Files.createDirectories(function.resolve("host3/fc_host/host3"));
        Files.writeString(fcHost.resolve("port_name"), "0x1000e0071bce95f2\n");
        Files.writeString(fcHost.resolve("node_name"), "0x2000e0071bce95f2\n");
        Files.writeString(fcHost.resolve("port_type"), "Point-To-Point (direct)\n");
        Files.writeString(fcHost.resolve("port_state"), "Online\n");
        Files.writeString(fcHost.resolve("speed"), "16 Gbit\n");
        Files.writeString(fcHost.resolve("fabric_name"), "0x100000051e0a8b2c\n");
        Files.writeString(fcHost.resolve("symbolic_name"), "Emulex SN1100E2P FV12.4.270.3 DV12.4.0.0. HN:gotest. OS:Linux\n");
        Files.writeString(fcHost.resolve("max_npiv_vports"), "255\n");
        // npiv_vports_inuse left out: a driver that does not provide it
        Files.createDirectories(kvm.resolve("class/fc_host"));
        Files.createSymbolicLink(kvm.resolve("class/fc_host/host3"),
                Path.of("../../devices/pci0000:3a/0000:3a:00.0/0000:3b:00.0/host3/fc_host/host3"));
        Files.writeString(function.resolve("sriov_totalvfs"), "64\n");
        Files.writeString(function.resolve("sriov_numvfs"), "2\n");
        Files.createSymbolicLink(function.resolve("virtfn0"), Path.of("../0000:3b:00.1"));
        Files.createSymbolicLink(function.resolve("virtfn1"), Path.of("../0000:3b:00.2"));
        Files.createDirectories(kvm.resolve("bus/pci/devices"));
        Files.createSymbolicLink(kvm.resolve("bus/pci/devices/0000:3b:00.0"),
                Path.of("../../../devices/pci0000:3a/0000:3a:00.0/0000:3b:00.0"));
        Path vport = Files.createDirectories(kvm.resolve("class/fc_vports/vport-3:0-0"));
        Files.writeString(vport.resolve("port_name"), "0x2800000c29c10011\n");
        Files.writeString(vport.resolve("node_name"), "0x2800000c29c10001\n");
        Files.writeString(vport.resolve("vport_state"), "Active\n");
    }

    @Test
    void reportsTheHostsFcInventoryAtStartAndWhenItChanges() throws IOException {
        kvmHost();
        Collector collector = new Collector(new Collector.Settings(URI.create("http://127.0.0.1:"
                + receiver.getAddress().getPort()), "vfz_test_token", kvm, Duration.ofSeconds(10), buffer, 10,
                "kvm-01.dc1"));
        collector.collectOnce(Instant.parse("2026-12-02T06:00:00Z"));
        collector.collectOnce(Instant.parse("2026-12-02T06:00:10Z"));
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0)).contains("\"host\":\"kvm-01.dc1\"", "\"fcHost\":\"host3\"",
                "\"wwpn\":\"1000e0071bce95f2\"", "\"wwnn\":\"2000e0071bce95f2\"", "\"portState\":\"Online\"",
                "\"speed\":\"16 Gbit\"", "\"fabricName\":\"100000051e0a8b2c\"", "\"maxNpivVports\":255",
                "\"pciAddress\":\"0000:3b:00.0\"", "\"sriovTotalVfs\":64", "\"sriovNumVfs\":2",
                "\"vfs\":[\"0000:3b:00.1\",\"0000:3b:00.2\"]",
                "\"vports\":[{\"wwpn\":\"2800000c29c10011\",\"wwnn\":\"2800000c29c10001\",\"state\":\"Active\"}]")
                .doesNotContain("npivVportsInUse");

        Files.writeString(kvm.resolve("devices/pci0000:3a/0000:3a:00.0/0000:3b:00.0/sriov_numvfs"), "4\n");
        collector.collectOnce(Instant.parse("2026-12-02T06:00:20Z"));
        assertThat(reports).hasSize(2);
        assertThat(reports.get(1)).contains("\"sriovNumVfs\":4");
    }
}
