package org.vfzone.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.scheduling.config.ScheduledTaskHolder;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.vfzone.TestDatabase;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The application as the README starts it: demo profile, scheduled jobs on, a real HTTP port. Other tests turn the
 * schedules off to drive jobs themselves; this one proves the whole wiring starts and answers.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "vfzone.data-dir=target/test-data")
@ActiveProfiles("demo")
// an application of its own: beside the other classes, one such class at a time
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("servers of their own")
class DemoStartupTest {

    @LocalServerPort
    int port;
    @Autowired
    List<ScheduledTaskHolder> schedules;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestDatabase.url("vfzone_startup"));
        registry.add("spring.datasource.username", TestDatabase::username);
        registry.add("spring.datasource.password", TestDatabase::password);
    }

    @Test
    void theDemoStartsWithItsScheduledJobsAndAnswersOverHttp() throws Exception {
        assertThat(schedules.stream().mapToInt(holder -> holder.getScheduledTasks().size()).sum())
                .as("drift, login discovery, rollups, partitions, demo traffic").isGreaterThanOrEqualTo(5);
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(uri("/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"UP\"");
        String basic = Base64.getEncoder().encodeToString("viewer:vfzone-demo".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> fabrics = http.send(HttpRequest.newBuilder(uri("/api/fabrics"))
                .header("Authorization", "Basic " + basic).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(fabrics.statusCode()).isEqualTo(200);
        assertThat(fabrics.body()).contains("brocade-fos-rest").contains("cisco-mds-nxapi");
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(uri("/login")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.body()).contains("_csrf");

        // fabric B's VMs: their IO is on the demo MDS switch as SAN Analytics flows, read as from a real switch
        String operator = "Basic " + Base64.getEncoder().encodeToString("operator:vfzone-demo"
                .getBytes(StandardCharsets.UTF_8));
        long fabricB = -1;
        for (JsonNode fabric : JSON.readTree(fabrics.body())) {
            if (fabric.path("name").asString().equals("FAB-B")) {
                fabricB = fabric.path("id").asLong();
            }
        }
        URI poll = uri("/api/fabrics/" + fabricB + "/analytics/poll");
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(500)).until(() -> {
            HttpResponse<String> read = http.send(HttpRequest.newBuilder(poll).header("Authorization", operator)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            return read.statusCode() == 200 && JSON.readTree(read.body()).path("stored").asInt() > 0;
        });
        HttpResponse<String> flows = http.send(HttpRequest.newBuilder(uri("/api/fabrics/" + fabricB + "/analytics"))
                .header("Authorization", "Basic " + basic).build(), HttpResponse.BodyHandlers.ofString());
        String initiator = JSON.readTree(flows.body()).path("flows").get(0).path("initiator").asString();
        HttpResponse<String> series = http.send(HttpRequest.newBuilder(uri("/api/traffic/initiators/" + initiator
                + "/series?range=1h")).header("Authorization", "Basic " + basic).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(series.body()).path("sources").get(0).path("label").asString())
                .isEqualTo("switch analytics");

        // the ESXi VMs' disk IO from the demo's vCenter, read as from a real one
        String admin = "Basic " + Base64.getEncoder().encodeToString("admin:vfzone-demo"
                .getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> vcenters = http.send(HttpRequest.newBuilder(uri("/api/vcenters"))
                .header("Authorization", "Basic " + basic).build(), HttpResponse.BodyHandlers.ofString());
        long vcenter = JSON.readTree(vcenters.body()).get(0).path("vcenter").path("id").asLong();
        HttpResponse<String> read = http.send(HttpRequest.newBuilder(uri("/api/vcenters/" + vcenter + "/poll"))
                .header("Authorization", admin).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(JSON.readTree(read.body()).path("status").asString()).isEqualTo("OK");
        assertThat(JSON.readTree(read.body()).path("matched").asInt()).isEqualTo(40);

        // the congestion scenario: a slow-drain VM on fabric A, named the likely cause of its port's stalls
        long fabricA = -1;
        for (JsonNode fabric : JSON.readTree(fabrics.body())) {
            if (fabric.path("name").asString().equals("FAB-A")) {
                fabricA = fabric.path("id").asLong();
            }
        }
        HttpResponse<String> congestion = http.send(HttpRequest.newBuilder(uri("/api/fabrics/" + fabricA
                + "/congestion?range=24h")).header("Authorization", "Basic " + basic).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode worst = JSON.readTree(congestion.body()).path("ports").get(0);
        assertThat(worst.path("symptoms").path("discards").asLong()).isPositive();
        assertThat(worst.path("devices").get(0).path("role").asString()).isEqualTo("likely cause");
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
