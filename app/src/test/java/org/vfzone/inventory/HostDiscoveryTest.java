package org.vfzone.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.vfzone.IntegrationTest;
import org.vfzone.TestDatabase;
import org.vfzone.collector.Collector;
import org.vfzone.security.ApiTokenService;
import org.vfzone.wwn.Wwn;

/**
 * The collector, run against sysfs trees laid out as the kernel does (the public node_exporter fixture's port
 * values, plus SR-IOV and vport files), reports to the real server over HTTP with a COLLECTOR token; the server
 * proposes what its inventory lacks, and an operator accepts the proposals in bulk.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "vfzone.admin-password=discovery-admin-secret", "vfzone.data-dir=target/test-data",
        "vfzone.scheduling.enabled=false"})
class HostDiscoveryTest {

    @LocalServerPort
    int port;
    @Autowired
    ApiTokenService tokens;
    @Autowired
    HostService hosts;
    @Autowired
    FabricService fabrics;
    @Autowired
    HostDiscovery discovery;

    @TempDir
    Path knownHostSys;
    @TempDir
    Path newHostSys;
    @TempDir
    Path buffer;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestDatabase.url("vfzone_discovery"));
        registry.add("spring.datasource.username", TestDatabase::username);
        registry.add("spring.datasource.password", TestDatabase::password);
    }

    /** One FC port on PCI function {@code pci} with {@code vfs} SR-IOV VFs enabled, in the kernel's layout. */
    static void fcPort(Path sys, String fcHost, String pci, String wwpn, String wwnn, String fabricName, int vfs)
            throws IOException {
        Path function = Files.createDirectories(sys.resolve("devices/pci0000:3a/0000:3a:00.0").resolve(pci));
        Path host = Files.createDirectories(function.resolve(fcHost + "/fc_host/" + fcHost));
        Files.writeString(host.resolve("port_name"), "0x" + wwpn + "\n");
        Files.writeString(host.resolve("node_name"), "0x" + wwnn + "\n");
        Files.writeString(host.resolve("port_type"), "NPort (fabric via point-to-point)\n");
        Files.writeString(host.resolve("port_state"), "Online\n");
        Files.writeString(host.resolve("speed"), "32 Gbit\n");
        Files.writeString(host.resolve("fabric_name"), "0x" + fabricName + "\n");
        Files.writeString(host.resolve("symbolic_name"), "Emulex LPe35002-M2 FV14.0.499.25 DV14.2.0.5 HN:test OS:Linux\n");
        Files.writeString(host.resolve("max_npiv_vports"), "255\n");
        Files.createDirectories(sys.resolve("class/fc_host"));
        Files.createSymbolicLink(sys.resolve("class/fc_host").resolve(fcHost),
                sys.resolve("class/fc_host").relativize(host));
        Files.writeString(function.resolve("sriov_totalvfs"), "64\n");
        Files.writeString(function.resolve("sriov_numvfs"), vfs + "\n");
        for (int i = 0; i < vfs; i++) {
            // VFs sit on the bus behind the PF's, as the routing-ID rule places them
            Files.createSymbolicLink(function.resolve("virtfn" + i), Path.of(String.format("../0000:%02x:00.%d",
                    Integer.parseInt(pci.substring(5, 7), 16) + 1, i)));
        }
        Files.createDirectories(sys.resolve("bus/pci/devices"));
        Files.createSymbolicLink(sys.resolve("bus/pci/devices").resolve(pci),
                sys.resolve("bus/pci/devices").relativize(function));
    }

    void collect(Path sys, String hostName, String token) {
        new Collector(new Collector.Settings(URI.create("http://127.0.0.1:" + port), token, sys,
                Duration.ofSeconds(10), buffer, 10, hostName)).collectOnce(Instant.now());
    }

    @Test
    void aCollectorRunProposesAHostWithItsHbasAndVfsOnTheFabricItLearnedAndAnOperatorAcceptsThem()
            throws Exception {
        String token = tokens.create("disc-" + System.nanoTime(), "COLLECTOR", "admin").token();
        String suffix = Long.toString(System.nanoTime() % 1_000_000);
        Fabric fabric = fabrics.create(new FabricForm("disc-a-" + suffix, "A", "simulated", null, null, null, "",
                ZoningPolicy.SINGLE_INITIATOR_MULTI_TARGET, "vfz_{vm}_{array}", "vfz_cfg", null));
        String fabricName = String.format("10000005%08x", System.nanoTime() & 0xffffffffL);
        Host known = hosts.create(new HostForm("kvm-known-" + suffix, "kvm-cl", Hypervisor.KVM));
        String knownWwpn = String.format("10000090fa%06x", System.nanoTime() & 0xffffff);
        hosts.createAdapter(known.getId(), new AdapterForm(AdapterKind.HBA, "Emulex", "LPe35002", "0000:3b:00.0",
                Wwn.parse("20" + knownWwpn.substring(2)).toString(),
                Wwn.parse(knownWwpn).toString(), fabric.getId(), 64, 255));

        // the known host: its port teaches vfzone the fabric's name, and has 2 VFs vfzone does not record
        fcPort(knownHostSys, "host3", "0000:3b:00.0", knownWwpn, "20" + knownWwpn.substring(2), fabricName, 2);
        collect(knownHostSys, known.getName(), token);
        // a new host with two ports, one on that fabric
        String newHost = "kvm-new-" + suffix;
        String newWwpn = String.format("10000090fb%06x", System.nanoTime() & 0xffffff);
        fcPort(newHostSys, "host5", "0000:5e:00.0", newWwpn, "20" + newWwpn.substring(2), fabricName, 4);
        String secondWwpn = "10000090fc" + newWwpn.substring(10); // the other port of the card: its own WWNs
        fcPort(newHostSys, "host6", "0000:5e:00.1", secondWwpn, "20" + secondWwpn.substring(2), "1000000533ffffff", 0);
        collect(newHostSys, newHost, token);

        List<HostDiscovery.Proposal> proposals = discovery.proposals().stream()
                .filter(p -> p.host().equals(newHost) || p.host().equals(known.getName())).toList();
        assertThat(proposals).extracting(HostDiscovery.Proposal::kind).containsExactlyInAnyOrder(
                HostDiscovery.Kind.VF_COUNT, HostDiscovery.Kind.NEW_HOST, HostDiscovery.Kind.NEW_ADAPTER,
                HostDiscovery.Kind.NEW_ADAPTER);
        assertThat(proposals).anySatisfy(p -> assertThat(p.summary()).contains("0000:5e:00.0",
                "on fabric " + fabric.getName(), "4 of 64 VFs enabled"));
        assertThat(proposals).anySatisfy(p -> assertThat(p.summary()).contains("0000:5e:00.1", "not yet known"));

        // an operator accepts them all through the API
        String admin = tokens.create("disc-op-" + System.nanoTime(), "OPERATOR", "admin").token();
        String keys = String.join(",", proposals.stream().map(p -> "\"" + p.key() + "\"").toList());
        HttpResponse<String> accepted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/hosts/discovery/accept"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"keys\":[" + keys + "]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        Host created = hosts.findByName(newHost).orElseThrow();
        Adapter onFabric = hosts.findAdapter(created.getId(), "0000:5e:00.0").orElseThrow();
        assertThat(onFabric.getFabric().getId()).isEqualTo(fabric.getId());
        assertThat(onFabric.getWwpn()).isEqualTo(Wwn.parse(newWwpn));
        assertThat(hosts.vfsOf(onFabric.getId())).hasSize(4);
        assertThat(hosts.findAdapter(created.getId(), "0000:5e:00.1").orElseThrow().getFabric()).isNull();
        Adapter knownPort = hosts.findAdapter(known.getId(), "0000:3b:00.0").orElseThrow();
        assertThat(hosts.vfsOf(knownPort.getId())).hasSize(2);
        assertThat(discovery.proposals()).noneMatch(p -> p.host().equals(newHost) || p.host().equals(known.getName()));

        // the collector token may report, not accept
        HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/hosts/discovery/accept"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"keys\":[\"x\"]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(403);
    }
}
