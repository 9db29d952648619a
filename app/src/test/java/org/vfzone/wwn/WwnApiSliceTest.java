package org.vfzone.wwn;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.when;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.test.context.bean.override.convention.TestBean;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.vfzone.system.RuleViolation;
import org.vfzone.wwn.internal.WwnAllocationRepository;

/**
 * The WWN API's request handling in a web slice: the controller, the API error handler and JSON binding, with the
 * services mocked. Bad input is a 400 naming the field, a rule's refusal a 409 naming the field; no database.
 */
@WebMvcTest(controllers = WwnApiController.class)
class WwnApiSliceTest {

    @Autowired
    MockMvc mvc;
    @MockitoBean
    WwnPoolService pools;
    @MockitoBean
    WwnAllocationRepository allocations;
    @MockitoBean
    WwnRegistry registry;
    @MockitoBean
    RoleHierarchy roleHierarchy;
    @TestBean
    Clock clock;

    static Clock clock() {
        return Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);
    }

    @Test
    void aWwnInNoKnownNotationIsA400NamingTheField() throws Exception {
        mvc.perform(get("/api/wwns/{wwn}", "50:06:01:60").with(user("viewer").roles("VIEWER")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("wwn"));
    }

    @Test
    void aPoolFormWithoutItsFieldsIsA400ListingThem() throws Exception {
        mvc.perform(post("/api/wwn-pools").with(user("olga").roles("OPERATOR")).with(csrf())
                        .contentType(MediaType.APPLICATION_JSON).content("{\"name\": \"\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[?(@.field == 'name')]").exists());
    }

    @Test
    void aRuleTheServiceEnforcesIsA409NamingTheField() throws Exception {
        when(pools.create(any())).thenThrow(RuleViolation.conflict("firstWwn", "overlaps pool lab"));
        mvc.perform(post("/api/wwn-pools").with(user("olga").roles("OPERATOR")).with(csrf())
                        .contentType(MediaType.APPLICATION_JSON).content("""
                                {"name": "prod", "naaType": 5, "firstWwn": "50:00:00:00:00:00:00:01",
                                 "lastWwn": "50:00:00:00:00:00:0f:ff", "oui": "", "description": ""}
                                """))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.errors[0].field").value("firstWwn"))
                .andExpect(jsonPath("$.detail").value(Matchers.containsString("overlaps pool lab")));
    }
}
