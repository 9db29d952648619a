package org.vfzone.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.Set;

import com.jayway.jsonpath.JsonPath;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.vfzone.IntegrationTest;
import org.vfzone.InventoryFixtures;
import org.vfzone.inventory.Fabric;
import org.vfzone.system.RuleViolation;

/** An API token acts for its maker with the maker's rights at most, checked on every request. */
class ApiTokenRightsTest extends IntegrationTest {

    static final String PASSWORD = "maker-password-42";

    @Autowired
    MockMvc mvc;
    @Autowired
    ApiTokenService tokens;
    @Autowired
    UserService users;
    @Autowired
    InventoryFixtures fixtures;

    Fabric fabricA;
    Fabric fabricB;

    @BeforeEach
    void fabrics() {
        fabricA = fixtures.fabric("A");
        fabricB = fixtures.fabric("B");
    }

    String bearer(String token) {
        return "Bearer " + token;
    }

    @Test
    void aTokenStopsAtOnceWhenItsMakerIsDisabledOrDemotedBelowItsRole() throws Exception {
        AppUser maker = users.create(unique("maker"), PASSWORD, Role.ADMIN);
        String token = tokens.create(unique("robot"), "OPERATOR", maker.getUsername()).token();
        mvc.perform(get("/api/hosts").header("Authorization", bearer(token))).andExpect(status().isOk());

        users.update(maker.getId(), Role.VIEWER, true);
        mvc.perform(get("/api/hosts").header("Authorization", bearer(token))).andExpect(status().isUnauthorized());
        users.update(maker.getId(), Role.OPERATOR, true);
        mvc.perform(get("/api/hosts").header("Authorization", bearer(token))).andExpect(status().isOk());

        users.update(maker.getId(), Role.OPERATOR, false);
        mvc.perform(get("/api/hosts").header("Authorization", bearer(token))).andExpect(status().isUnauthorized());
        mvc.perform(post("/api/hosts").header("Authorization", bearer(token)).contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"" + unique("h") + "\",\"hypervisor\":\"ESXI\"}"))
                .andExpect(status().isUnauthorized());
    }

    @Test
    void aTokenGetsItsMakersFabricsAtMostAndMayBeNarrowedFurther() throws Exception {
        AppUser maker = users.create(unique("scoped"), PASSWORD, Role.ADMIN, FabricScope.only(Set.of(fabricA.getId())));
        String token = tokens.create(unique("robot"), "OPERATOR", maker.getUsername()).token();
        mvc.perform(get("/api/me").header("Authorization", bearer(token)))
                .andExpect(jsonPath("$.fabrics[?(@.fabricId == " + fabricA.getId() + ")].role").value("OPERATOR"))
                .andExpect(jsonPath("$.fabrics[?(@.fabricId == " + fabricB.getId() + ")].role").value("VIEWER"));

        RuleViolation wider = assertThrows(RuleViolation.class, () -> tokens.create(unique("wide"), "OPERATOR",
                maker.getUsername(), FabricScope.ALL));
        assertThat(wider.getMessage()).contains("at most your own fabrics");
        assertThrows(RuleViolation.class, () -> tokens.create(unique("wide"), "OPERATOR", maker.getUsername(),
                FabricScope.only(Set.of(fabricB.getId()))));

        // narrowing the maker narrows the token on the next request
        users.update(maker.getId(), Role.ADMIN, true, FabricScope.only(Set.of(fabricB.getId())));
        mvc.perform(get("/api/me").header("Authorization", bearer(token)))
                .andExpect(jsonPath("$.fabrics[?(@.fabricId == " + fabricA.getId() + ")].role").value("VIEWER"))
                .andExpect(jsonPath("$.fabrics[?(@.fabricId == " + fabricB.getId() + ")].role").value("VIEWER"));

        // a maker on all fabrics narrows a token to one
        String narrow = tokens.create(unique("narrow"), "OPERATOR", "admin", FabricScope.only(Set.of(fabricB.getId())))
                .token();
        mvc.perform(get("/api/me").header("Authorization", bearer(narrow)))
                .andExpect(jsonPath("$.fabrics[?(@.fabricId == " + fabricA.getId() + ")].role").value("VIEWER"))
                .andExpect(jsonPath("$.fabrics[?(@.fabricId == " + fabricB.getId() + ")].role").value("OPERATOR"));
    }

    @Test
    void theTokenApiMakesListsAndRevokesTokensWithTheirFabrics() throws Exception {
        String name = unique("api-robot");
        String answer = mvc.perform(post("/api/tokens").with(httpBasic("admin", "integration-admin-secret"))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"" + name + "\",\"role\":\"VIEWER\",\"fabricIds\":[" + fabricA.getId() + "]}"))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.token").value(Matchers.startsWith("vfz_")))
                .andReturn().getResponse().getContentAsString();
        Object id = JsonPath.read(answer, "$.id");
        mvc.perform(get("/api/tokens").with(httpBasic("admin", "integration-admin-secret")))
                .andExpect(jsonPath("$[?(@.name == '" + name + "')].fabricIds[0]").value(fabricA.getId().intValue()))
                .andExpect(jsonPath("$[?(@.name == '" + name + "')].allFabrics").value(false));
        mvc.perform(post("/api/tokens").with(httpBasic("admin", "integration-admin-secret"))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"x\",\"role\":\"ADMIN\"}"))
                .andExpect(status().isBadRequest());
        mvc.perform(post("/api/tokens/" + id + "/revoke").with(httpBasic("admin", "integration-admin-secret")))
                .andExpect(status().isNoContent());
        mvc.perform(get("/api/tokens").with(org.springframework.security.test.web.servlet.request
                        .SecurityMockMvcRequestPostProcessors.user("op").roles("OPERATOR")))
                .andExpect(status().isForbidden());
    }
}
