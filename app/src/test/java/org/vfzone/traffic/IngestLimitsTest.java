package org.vfzone.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.vfzone.TestDatabase;
import org.vfzone.security.ApiTokenService;

/**
 * The ingest endpoint over real HTTP, against the limits that keep it from taking the application down: body size,
 * slow clients (no database connection held while they send), and the health of an exhausted pool.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "vfzone.admin-password=limits-admin-secret", "vfzone.data-dir=target/test-data",
        "vfzone.scheduling.enabled=false", "vfzone.traffic.max-request-size=64KB",
        // every request finds the server busy: the answer asks for several readings per request
        "vfzone.traffic.busy-queue=0", "vfzone.traffic.busy-readings=6",
        "spring.datasource.hikari.maximum-pool-size=10"})
class IngestLimitsTest {

    @LocalServerPort
    int port;
    @Autowired
    ApiTokenService tokens;
    @Autowired
    DataSource dataSource;
    @Autowired
    Map<String, HealthIndicator> indicators;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestDatabase.url("vfzone_limits"));
        registry.add("spring.datasource.username", TestDatabase::username);
        registry.add("spring.datasource.password", TestDatabase::password);
    }

    final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> post(String token, String contentType, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/traffic/samples"))
                .header("Authorization", "Bearer " + token).header("Content-Type", contentType)
                .timeout(Duration.ofMinutes(2)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postAs(String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/traffic/samples")).header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"wwpn\":\"10:00:00:00:c9:7e:57:01\",\"timestamp\":\"2026-01-01T00:00:00Z\"}\n"));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void collectorTokensTakeTheIngestsOwnEntryAndEveryOtherCallerIsAnsweredByTheApiAsBefore() throws Exception {
        String name = "entry-" + System.nanoTime();
        String collector = tokens.create(name + "-collector", "COLLECTOR", "admin").token();
        String operator = tokens.create(name + "-operator", "OPERATOR", "admin").token();
        String viewer = tokens.create(name + "-viewer", "VIEWER", "admin").token();
        ApiTokenService.Created revoked = tokens.create(name + "-revoked", "COLLECTOR", "admin");
        tokens.revoke(revoked.id());

        // every caller that may post readings reaches the ingest, which refuses the line: the WWPN is not in the inventory
        for (String token : List.of(collector, operator)) {
            HttpResponse<String> answer = postAs("Bearer " + token);
            assertThat(answer.statusCode()).as(token).isEqualTo(400);
            assertThat(answer.body()).contains("\"accepted\":0").contains("is not a VM or adapter WWPN known to vfzone");
            assertThat(answer.headers().firstValue("Vfzone-Readings-Per-Request")).hasValue("6");
            assertThat(answer.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            // the security filter chain, which frames every answer it passes, was not on the way
            assertThat(answer.headers().firstValue("X-Frame-Options")).isEmpty();
        }
        // an admin signing in with a password (the role implies OPERATOR) is served by the API's controller
        HttpResponse<String> basic = postAs("Basic " + Base64.getEncoder().encodeToString(
                "admin:limits-admin-secret".getBytes(StandardCharsets.UTF_8)));
        assertThat(basic.statusCode()).isEqualTo(400);
        assertThat(basic.body()).contains("\"accepted\":0").contains("is not a VM or adapter WWPN known to vfzone");
        assertThat(basic.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        // both entries answer in the same words
        assertThat(postAs("Bearer " + collector).body()).isEqualTo(basic.body());

        // and every other caller is answered by the API's security, exactly as before
        assertThat(postAs("Bearer " + viewer).statusCode()).isEqualTo(403);
        assertThat(postAs("Bearer " + revoked.token()).statusCode()).isEqualTo(401);
        assertThat(postAs("Bearer not-a-token").statusCode()).isEqualTo(401);
        assertThat(postAs(null).statusCode()).isEqualTo(401);
    }

    @Test
    void aBodyOverTheLimitIsRefusedWith413AndValuesOfTheWrongShapeArePerLineRejections() throws Exception {
        String token = tokens.create("limits-" + System.nanoTime(), "COLLECTOR", "admin").token();
        StringBuilder big = new StringBuilder("[");
        while (big.length() < 200_000) {
            big.append("{\"wwpn\":\"10:00:00:00:c9:00:00:01\",\"timestamp\":\"2026-01-01T00:00:00Z\"},");
        }
        big.setLength(big.length() - 1);
        big.append(']');
        HttpResponse<String> tooLarge = post(token, "application/json", big.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.body()).contains("larger than 65536 bytes");

        HttpResponse<String> shapes = post(token, "application/json", """
                [{"wwpn": ["10:00:00:00:c9:00:00:01"], "timestamp": "2026-01-01T00:00:00Z"},
                 {"wwpn": "10:00:00:00:c9:00:00:01", "timestamp": {"at": 1}},
                 {"wwpn": "10:00:00:00:c9:00:00:01", "timestamp": "2026-01-01T00:00:00Z", "fcp_input_requests": [1]}]
                """.getBytes(StandardCharsets.UTF_8));
        assertThat(shapes.statusCode()).isEqualTo(400);
        assertThat(shapes.headers().firstValue("Vfzone-Readings-Per-Request")).contains("6");
        assertThat(shapes.body()).contains("wwpn must be a string or a number, not an array")
                .contains("timestamp must be a string or a number, not an object")
                .contains("fcp_input_requests must be a string or a number, not an array");
    }

    @Test
    void slowUploadsHoldNoDatabaseConnectionSoEveryoneElseIsServed() throws Exception {
        String token = tokens.create("slow-" + System.nanoTime(), "COLLECTOR", "admin").token();
        List<Socket> slow = new ArrayList<>();
        try {
            // more slow clients than the pool has connections, each halfway through its body
            for (int i = 0; i < 14; i++) {
                Socket socket = new Socket("127.0.0.1", port);
                OutputStream out = socket.getOutputStream();
                out.write(("POST /api/traffic/samples HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                        + "\r\nContent-Type: application/x-ndjson\r\nContent-Length: 100000\r\n\r\n"
                        + "{\"wwpn\":\"10:00:00:00:c9:00:00:01\",\"timestamp\":\"2026-01-01T00:00:00Z\"}\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                slow.add(socket);
            }
            // everyone else still gets an answer
            String basic = Base64.getEncoder().encodeToString("admin:limits-admin-secret".getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 12; i++) {
                HttpResponse<String> fabrics = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/api/fabrics"))
                        .header("Authorization", "Basic " + basic).timeout(Duration.ofMinutes(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(fabrics.statusCode()).isEqualTo(200);
            }
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    @Test
    void anExhaustedPoolIsOutOfService() throws Exception {
        HealthIndicator pool = indicators.get("connectionPool");
        assertThat(pool.health().getStatus()).isEqualTo(Status.UP);
        List<Connection> held = new ArrayList<>();
        ExecutorService waiter = Executors.newSingleThreadExecutor();
        try {
            for (int i = 0; i < 10; i++) {
                held.add(dataSource.getConnection());
            }
            CountDownLatch started = new CountDownLatch(1);
            Future<Connection> waiting = waiter.submit(() -> {
                started.countDown();
                return dataSource.getConnection();
            });
            started.await();
            // the waiter is now queued for a connection (or about to be): the pool reports it
            // bounded only so a broken indicator fails instead of hanging; it reports within microseconds
            long giveUp = System.nanoTime() + Duration.ofSeconds(25).toNanos();
            Status status = pool.health().getStatus();
            while (!status.equals(Status.OUT_OF_SERVICE) && System.nanoTime() - giveUp < 0) {
                Thread.yield();
                status = pool.health().getStatus();
            }
            assertThat(status).isEqualTo(Status.OUT_OF_SERVICE);
            held.remove(0).close();
            waiting.get().close();
        } finally {
            for (Connection connection : held) {
                connection.close();
            }
            waiter.shutdownNow();
        }
        assertThat(pool.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void theSessionCookieIsHttpOnlyAndSameSiteLax() throws Exception {
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.headers().allValues("Set-Cookie")).anySatisfy(cookie -> assertThat(cookie)
                .startsWith("JSESSIONID=").contains("HttpOnly").contains("SameSite=Lax"));
    }
}
