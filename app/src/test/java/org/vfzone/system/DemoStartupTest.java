package org.vfzone.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.scheduling.config.ScheduledTaskHolder;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.vfzone.TestDatabase;

/**
 * The application as the README starts it: demo profile, scheduled jobs on, a real HTTP port. Other tests turn the
 * schedules off to drive jobs themselves; this one proves the whole wiring starts and answers.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "vfzone.data-dir=target/test-data")
@ActiveProfiles("demo")
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
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
