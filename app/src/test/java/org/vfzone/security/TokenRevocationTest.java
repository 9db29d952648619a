package org.vfzone.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.vfzone.TestDatabase;
import org.vfzone.VfzoneApplication;

/**
 * Two application nodes on one database: each keeps verified API tokens in memory, so a collector's requests cost no
 * token query, and a token revoked on one node is refused by the other as soon as the revocation's notification
 * arrives — not after the cache's minute.
 */
// application nodes of its own on a database of its own: beside the other classes, one such class at a time
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("servers of their own")
class TokenRevocationTest {

    static final String DATABASE = "vfzone_tokens";
    final List<ConfigurableApplicationContext> nodes = new ArrayList<>();
    final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        nodes.forEach(ConfigurableApplicationContext::close);
    }

    ConfigurableApplicationContext node() {
        ConfigurableApplicationContext node = new SpringApplicationBuilder(VfzoneApplication.class)
                .properties("spring.datasource.url=" + TestDatabase.url(DATABASE),
                        "spring.datasource.username=" + TestDatabase.username(),
                        "spring.datasource.password=" + TestDatabase.password(),
                        "vfzone.admin-password=tokens-admin-secret", "vfzone.data-dir=target/test-data",
                        "vfzone.scheduling.enabled=false", "server.port=0", "spring.main.banner-mode=off")
                .run();
        nodes.add(node);
        return node;
    }

    int status(ConfigurableApplicationContext node, String token) throws Exception {
        int port = ((WebServerApplicationContext) node).getWebServer().getPort();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/hosts/discovery"))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"host\":\"token-probe\",\"ports\":[]}")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    static void awaitListening(ConfigurableApplicationContext node) {
        TokenRevocations revocations = node.getBean(TokenRevocations.class);
        Awaitility.await("listening for revocations").atMost(Duration.ofSeconds(60))
                .until(revocations::listening);
    }

    @Test
    void aTokenRevokedOnOneNodeIsRefusedByTheOtherWithoutWaitingForTheCache() throws Exception {
        ConfigurableApplicationContext a = node();
        ConfigurableApplicationContext b = node();
        awaitListening(a);
        awaitListening(b);
        ApiTokenService tokensOnA = a.getBean(ApiTokenService.class);
        ApiTokenService.Created token = tokensOnA.create("rev-" + System.nanoTime(), "COLLECTOR", "admin");

        assertThat(status(b, token.token())).isEqualTo(202);
        // verified once, node B answers from memory: the token's row could vanish and B would not ask
        JdbcTemplate jdbc = b.getBean(JdbcTemplate.class);
        assertThat(b.getBean(ApiTokenCache.class).get(ApiTokenService.hash(token.token()))).isPresent();

        tokensOnA.revoke(token.id());
        assertThat(status(a, token.token())).as("the revoking node at once").isEqualTo(401);
        // the other node as soon as the notification arrives: milliseconds, bounded only so a broken listener fails
        Awaitility.await("the other node refuses the token").atMost(Duration.ofSeconds(30))
                .until(() -> status(b, token.token()) == 401);
        assertThat(jdbc.queryForObject("select revoked from api_token where id = ?", Boolean.class, token.id()))
                .isTrue();
    }
}
