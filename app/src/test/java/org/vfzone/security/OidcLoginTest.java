package org.vfzone.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.vfzone.TestDatabase;
import org.vfzone.inventory.FabricForm;
import org.vfzone.inventory.FabricService;
import org.vfzone.inventory.ZoningPolicy;

/**
 * Single sign-on against a real OpenID Connect provider in this JVM (NAV's mock-oauth2-server: discovery, authorize,
 * token and JWKS endpoints, signed ID tokens), driven over HTTP as a browser would: the authorization code flow,
 * the provider's groups mapped to a role on the fabrics they name, one vfzone user per issuer and subject.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "vfzone.admin-password=oidc-admin-secret", "vfzone.data-dir=target/test-data",
        "vfzone.scheduling.enabled=false"})
class OidcLoginTest {

    static final String ISSUER = "vfzone-idp";
    static final String FABRIC = "sso-fab-a";
    static final MockOAuth2Server PROVIDER = start();

    static MockOAuth2Server start() {
        MockOAuth2Server server = new MockOAuth2Server();
        server.start(InetAddress.getLoopbackAddress(), 0);
        return server;
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> TestDatabase.url("vfzone_oidc"));
        registry.add("spring.datasource.username", TestDatabase::username);
        registry.add("spring.datasource.password", TestDatabase::password);
        registry.add("vfzone.oidc.issuer-uri", () -> PROVIDER.issuerUrl(ISSUER).toString());
        registry.add("vfzone.oidc.client-id", () -> "vfzone");
        registry.add("vfzone.oidc.client-secret", () -> "vfzone-client-secret");
        registry.add("vfzone.oidc.display-name", () -> "Example SSO");
        registry.add("vfzone.oidc.groups[0].group", () -> "SAN-Operators-A");
        registry.add("vfzone.oidc.groups[0].role", () -> "OPERATOR");
        registry.add("vfzone.oidc.groups[0].fabrics[0]", () -> FABRIC);
        registry.add("vfzone.oidc.groups[1].group", () -> "san-viewers");
        registry.add("vfzone.oidc.groups[1].role", () -> "VIEWER");
    }

    @AfterAll
    static void stop() {
        PROVIDER.shutdown();
    }

    @LocalServerPort
    int port;
    @Autowired
    FabricService fabrics;
    @Autowired
    JdbcTemplate jdbc;

    @BeforeEach
    void fabric() {
        if (fabrics.findByName(FABRIC).isEmpty()) {
            fabrics.create(new FabricForm(FABRIC, "A", "simulated", null, "", "", "",
                    ZoningPolicy.SINGLE_INITIATOR_MULTI_TARGET, "vfz_{vm}_{array}", "vfz_cfg", ""));
        }
    }

    /** A browser: keeps cookies, follows each redirect by hand so the test sees where it went. */
    record Browser(HttpClient http) {
        static Browser open() {
            return new Browser(HttpClient.newBuilder().cookieHandler(new CookieManager())
                    .followRedirects(HttpClient.Redirect.NEVER).build());
        }

        HttpResponse<String> get(URI uri) throws Exception {
            return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
        }

        /** Follows redirects from {@code uri}; answers the last response. */
        HttpResponse<String> follow(URI uri) throws Exception {
            HttpResponse<String> response = get(uri);
            for (int hops = 0; hops < 10 && response.statusCode() / 100 == 3; hops++) {
                response = get(uri.resolve(response.headers().firstValue("Location").orElseThrow()));
                uri = response.uri();
            }
            return response;
        }
    }

    URI app(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    void nextSignIn(String subject, Map<String, Object> claims) {
        PROVIDER.enqueueCallback(new DefaultOAuth2TokenCallback(ISSUER, subject, "JWT", List.of("vfzone"), claims,
                3600));
    }

    @Test
    void aProviderAccountSignsInWithTheRoleAndFabricsOfItsGroupsAsOneVfzoneUser() throws Exception {
        Browser browser = Browser.open();
        assertThat(browser.get(app("/login")).body()).contains("Sign in with Example SSO")
                .contains("/oauth2/authorization/oidc");
        nextSignIn("subject-olivia", Map.of("preferred_username", "olivia", "groups",
                List.of("san-operators-a", "san-viewers", "finance")));
        HttpResponse<String> home = browser.follow(app("/oauth2/authorization/oidc"));
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.uri().getPath()).isEqualTo("/");

        String account = browser.get(app("/account")).body();
        assertThat(account).contains("olivia").contains("OPERATOR on " + FABRIC).contains("VIEWER on all fabrics");
        assertThat(jdbc.queryForList("select source from app_user where username = 'olivia'", String.class))
                .containsExactly("OIDC");

        // the same subject again, whatever name case the provider sends: the same user, no second row
        Browser again = Browser.open();
        nextSignIn("subject-olivia", Map.of("preferred_username", "olivia", "groups", List.of("san-viewers")));
        assertThat(again.follow(app("/oauth2/authorization/oidc")).statusCode()).isEqualTo(200);
        assertThat(again.get(app("/account")).body()).contains("VIEWER on all fabrics")
                .doesNotContain("OPERATOR on");
        assertThat(jdbc.queryForObject("select count(*) from app_user where external_id like '%#subject-olivia'",
                Long.class)).isEqualTo(1);
    }

    @Test
    void anAccountInNoMappedGroupOrNamedLikeALocalUserCannotSignIn() throws Exception {
        Browser browser = Browser.open();
        nextSignIn("subject-mallory", Map.of("preferred_username", "mallory-sso", "groups", List.of("finance")));
        HttpResponse<String> refused = browser.follow(app("/oauth2/authorization/oidc"));
        assertThat(refused.uri().getPath()).isEqualTo("/login");
        assertThat(refused.uri().getQuery()).contains("error");
        assertThat(refused.body()).contains("Single sign-on refused");
        assertThat(jdbc.queryForObject("select count(*) from audit_event where action = 'LOGIN_FAILED' and actor = "
                + "'mallory-sso'", Long.class)).as("audited like any failed sign-in").isPositive();
        assertThat(browser.get(app("/account")).statusCode()).isEqualTo(302);
        assertThat(jdbc.queryForObject("select count(*) from app_user where username = 'mallory-sso'", Long.class))
                .isZero();

        // the local break-glass admin cannot be taken over by a provider account of the same name
        Browser impostor = Browser.open();
        nextSignIn("subject-admin", Map.of("preferred_username", "admin", "groups", List.of("san-viewers")));
        assertThat(impostor.follow(app("/oauth2/authorization/oidc")).uri().getPath()).isEqualTo("/login");
        assertThat(impostor.get(app("/account")).statusCode()).isEqualTo(302);
    }
}
