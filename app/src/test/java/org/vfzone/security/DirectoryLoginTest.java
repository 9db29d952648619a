package org.vfzone.security;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import com.jayway.jsonpath.JsonPath;
import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.OperationType;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.vfzone.IntegrationTest;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.FabricForm;
import org.vfzone.inventory.FabricService;
import org.vfzone.inventory.StorageArrayForm;
import org.vfzone.inventory.StorageArrayService;
import org.vfzone.inventory.ZoningPolicy;
import org.vfzone.system.RuleViolation;

/**
 * Sign-in against a real LDAP server (UnboundID's, in this JVM, over TCP): vfzone searches with its own account,
 * binds as the person, and maps their groups to a role on all fabrics or on named ones.
 */
class DirectoryLoginTest extends IntegrationTest {

    static final String BASE = "dc=example,dc=net";
    static final String READER = "cn=vfzone-reader,ou=service," + BASE;
    static final String READER_PASSWORD = "reader-secret-42";
    static final String FABRIC_A = "dir-fab-a";
    static final String FABRIC_B = "dir-fab-b";
    static final InMemoryDirectoryServer DIRECTORY = start();

    static InMemoryDirectoryServer start() {
        try {
            InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
            config.addAdditionalBindCredentials(READER, READER_PASSWORD);
            config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("test", InetAddress.getLoopbackAddress(),
                    0, null));
            // only vfzone's own account may search: an anonymous search is refused, as in most directories
            config.setAuthenticationRequiredOperationTypes(EnumSet.of(
                    OperationType.SEARCH));
            InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
            server.add("dn: " + BASE, "objectClass: top", "objectClass: domain", "dc: example");
            for (String ou : new String[] {"people", "groups"}) {
                server.add("dn: ou=" + ou + "," + BASE, "objectClass: top", "objectClass: organizationalUnit", "ou: " + ou);
            }
            person(server, "dana", "dana-password-1");
            person(server, "erik", "erik-password-1");
            person(server, "frank", "frank-password-1");
            person(server, "shared", "directory-password-1");
            group(server, "Storage Operators A", "dana");
            group(server, "storage-viewers", "dana", "erik");
            group(server, "san-admins", "erik");
            group(server, "printer-admins", "frank");
            server.startListening();
            return server;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void person(InMemoryDirectoryServer server, String uid, String password) throws Exception {
        server.add("dn: uid=" + uid + ",ou=people," + BASE, "objectClass: top", "objectClass: person",
                "objectClass: organizationalPerson", "objectClass: inetOrgPerson", "uid: " + uid, "cn: " + uid,
                "sn: " + uid, "userPassword: " + password);
    }

    static void group(InMemoryDirectoryServer server, String cn, String... members) throws Exception {
        List<String> lines = new ArrayList<>(List.of("dn: cn=" + cn + ",ou=groups," + BASE,
                "objectClass: top", "objectClass: groupOfNames", "cn: " + cn));
        for (String member : members) {
            lines.add("member: uid=" + member + ",ou=people," + BASE);
        }
        server.add(lines.toArray(String[]::new));
    }

    @DynamicPropertySource
    static void directory(DynamicPropertyRegistry registry) {
        registry.add("vfzone.directory.url", () -> "ldap://127.0.0.1:" + DIRECTORY.getListenPort() + "/" + BASE);
        registry.add("vfzone.directory.manager-dn", () -> READER);
        registry.add("vfzone.directory.manager-password", () -> READER_PASSWORD);
        registry.add("vfzone.directory.user-search-base", () -> "ou=people");
        registry.add("vfzone.directory.group-search-base", () -> "ou=groups");
        registry.add("vfzone.directory.groups[0].group", () -> "storage operators a");
        registry.add("vfzone.directory.groups[0].role", () -> "OPERATOR");
        registry.add("vfzone.directory.groups[0].fabrics[0]", () -> FABRIC_A);
        registry.add("vfzone.directory.groups[1].group", () -> "storage-viewers");
        registry.add("vfzone.directory.groups[1].role", () -> "VIEWER");
        registry.add("vfzone.directory.groups[2].group", () -> "san-admins");
        registry.add("vfzone.directory.groups[2].role", () -> "ADMIN");
    }

    @AfterAll
    static void stopDirectory() {
        DIRECTORY.shutDown(true);
    }

    @Autowired
    MockMvc mvc;
    @Autowired
    FabricService fabrics;
    @Autowired
    UserService users;
    @Autowired
    StorageArrayService arrays;
    @Autowired
    JdbcTemplate jdbc;

    Fabric fabricA;
    Fabric fabricB;

    @BeforeEach
    void fabrics() {
        fabricA = fabrics.findByName(FABRIC_A).orElseGet(() -> fabrics.create(fabricForm(FABRIC_A)));
        fabricB = fabrics.findByName(FABRIC_B).orElseGet(() -> fabrics.create(fabricForm(FABRIC_B)));
    }

    static FabricForm fabricForm(String name) {
        return new FabricForm(name, "A", "brocade-fos-rest", 10, "https://192.0.2.10", "admin", "",
                ZoningPolicy.SINGLE_INITIATOR_MULTI_TARGET, "vfz_{vm}_{array}", "vfz_cfg", "switch-secret");
    }

    @Test
    void aDirectoryGroupGrantsARoleOnTheFabricsItNames() throws Exception {
        mvc.perform(get("/api/me").with(httpBasic("dana", "dana-password-1")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.username").value("dana"))
                .andExpect(jsonPath("$.grants").value("OPERATOR on " + FABRIC_A + "; VIEWER on all fabrics"))
                .andExpect(jsonPath("$.fabrics[?(@.fabricName == '" + FABRIC_A + "')].role").value("OPERATOR"))
                .andExpect(jsonPath("$.fabrics[?(@.fabricName == '" + FABRIC_B + "')].role").value("VIEWER"));
        // an OPERATOR somewhere passes the URL rules for changes; the fabric check decides per fabric
        mvc.perform(get("/api/users").with(httpBasic("dana", "dana-password-1"))).andExpect(status().isForbidden());
    }

    @Test
    void theHighestRoleOfSeveralGroupsCounts() throws Exception {
        mvc.perform(get("/api/users").with(httpBasic("erik", "erik-password-1"))).andExpect(status().isOk());
        mvc.perform(get("/api/me").with(httpBasic("erik", "erik-password-1")))
                .andExpect(jsonPath("$.grants").value("ADMIN on all fabrics; VIEWER on all fabrics"))
                .andExpect(jsonPath("$.fabrics[?(@.fabricName == '" + FABRIC_B + "')].role").value("ADMIN"));
    }

    @Test
    void aWrongPasswordOrAnUnmappedAccountCannotSignIn() throws Exception {
        mvc.perform(get("/api/me").with(httpBasic("dana", "not-her-password"))).andExpect(status().isUnauthorized());
        mvc.perform(get("/api/me").with(httpBasic("nobody", "whatever-password"))).andExpect(status().isUnauthorized());
        // frank is only in a group vfzone does not map
        mvc.perform(get("/api/me").with(httpBasic("frank", "frank-password-1"))).andExpect(status().isUnauthorized());
    }

    @Test
    void aLocalUserOfTheSameNameIsNeverLookedUpInTheDirectory() throws Exception {
        if (!users.exists("shared")) {
            users.create("shared", "local-password-of-shared", Role.VIEWER);
        }
        mvc.perform(get("/api/me").with(httpBasic("shared", "directory-password-1"))).andExpect(status().isUnauthorized());
        mvc.perform(get("/api/me").with(httpBasic("shared", "local-password-of-shared")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.grants").value("VIEWER on all fabrics"));
    }

    @Test
    void whateverCaseOrSpacesAreTypedADirectoryPersonIsOneUserWithTheNameOfTheirEntry() throws Exception {
        for (String typed : new String[] {"erik", " ERIK", "erik ", "Erik"}) {
            mvc.perform(get("/api/me").with(httpBasic(typed, "erik-password-1")))
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$.username").value("erik"));
        }
        assertThat(jdbc.queryForList("select username from app_user where lower(username) like '%erik%'",
                String.class)).containsExactly("erik");
        // a name with a control character is nobody
        mvc.perform(get("/api/me").with(httpBasic("er\nik", "erik-password-1"))).andExpect(status().isUnauthorized());
    }

    @Test
    void aDirectoryPersonCannotApproveTheirOwnStandardChangeByTypingTheirNameDifferently() throws Exception {
        long array = arrays.create(new StorageArrayForm(
                IntegrationTest.unique("dir-pure"), "Pure Storage", "", "")).getId();
        String body = "{\"name\":\"" + IntegrationTest.unique("std") + "\",\"fabricIds\":["
                + fabricA.getId() + "],\"arrayIds\":[" + array + "],\"allowAdd\":true,\"maxZones\":5,"
                + "\"expiresAt\":\"" + Instant.now().plus(Duration.ofDays(5)) + "\"}";
        String created = mvc.perform(MockMvcRequestBuilders
                        .post("/api/standard-changes").with(httpBasic("erik", "erik-password-1"))
                        .contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        Object id = JsonPath.read(created, "$.policy.id");
        for (String typed : new String[] {" ERIK", "erik ", "ERIK"}) {
            mvc.perform(MockMvcRequestBuilders
                            .post("/api/standard-changes/" + id + "/approve").with(httpBasic(typed, "erik-password-1")))
                    .andExpect(status().isConflict())
                    .andExpect(jsonPath("$.detail").value(Matchers.containsString("You proposed")));
        }
    }

    @Test
    void anAdminDisablesADirectoryPersonInVfzoneAndTheyCannotSignInNorChangeTheirRoleHere() throws Exception {
        mvc.perform(get("/api/me").with(httpBasic("dana", "dana-password-1"))).andExpect(status().isOk());
        AppUser dana = users.list().stream().filter(u -> u.getUsername().equals("dana")).findFirst().orElseThrow();
        assertThat(dana.isLocal()).isFalse();
        try {
            RuleViolation refused = Assertions.assertThrows(
                    RuleViolation.class, () -> users.update(dana.getId(), Role.ADMIN, true));
            assertThat(refused.getMessage()).contains("directory groups");
            users.update(dana.getId(), dana.getRole(), false);
            mvc.perform(get("/api/me").with(httpBasic("dana", "dana-password-1"))).andExpect(status().isUnauthorized());
        } finally {
            users.update(dana.getId(), dana.getRole(), true);
        }
        mvc.perform(get("/api/me").with(httpBasic("dana", "dana-password-1"))).andExpect(status().isOk());
    }
}
