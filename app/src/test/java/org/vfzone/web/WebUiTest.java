package org.vfzone.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.model;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrlPattern;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.view;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.assertj.core.api.Assertions;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.test.web.servlet.result.MockMvcResultMatchers;
import org.springframework.util.DigestUtils;
import org.vfzone.IntegrationTest;
import org.vfzone.InventoryFixtures;
import org.vfzone.inventory.InventoryQueries;
import org.vfzone.system.Words;

/** Server-rendered pages: forms, validation messages next to fields, roles and CSRF. */
class WebUiTest extends IntegrationTest {

    private static final RequestPostProcessor OPERATOR = user("op").roles("OPERATOR");
    private static final RequestPostProcessor VIEWER = user("vw").roles("VIEWER");

    @Autowired
    MockMvc mvc;
    @Autowired
    InventoryFixtures fixtures;

    @Test
    void anonymousUsersAreSentToTheLoginPage() throws Exception {
        mvc.perform(get("/vms")).andExpect(status().is3xxRedirection()).andExpect(redirectedUrl("/login"));
        mvc.perform(get("/login")).andExpect(status().isOk()).andExpect(content().string(containsString("Sign in")));
    }

    @Test
    void theDashboardShowsCountsAndAtRiskVms() throws Exception {
        var before = (InventoryQueries.Counts) mvc.perform(get("/").with(VIEWER)).andReturn()
                .getModelAndView().getModel().get("counts");
        var host = fixtures.host();
        var vm = fixtures.vm(host);
        var after = (InventoryQueries.Counts) mvc.perform(get("/").with(VIEWER)).andReturn()
                .getModelAndView().getModel().get("counts");
        // one more host and one more VM, which has no path on any fabric yet
        Assertions.assertThat(after.hosts()).isEqualTo(before.hosts() + 1);
        Assertions.assertThat(after.vms()).isEqualTo(before.vms() + 1);
        Assertions.assertThat(after.vmsWithoutDualPaths()).isEqualTo(before.vmsWithoutDualPaths() + 1);
        Assertions.assertThat(after.fabrics()).isEqualTo(before.fabrics());
        mvc.perform(get("/").with(VIEWER))
                .andExpect(status().isOk())
                .andExpect(view().name("dashboard"))
                .andExpect(content().string(allOf(containsString("VMs without dual-fabric paths"),
                        containsString("Free VFs per host"), containsString("WWN pool usage"))));
        mvc.perform(get("/vms").param("q", vm.getName()).param("atRisk", "true").with(VIEWER))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString(vm.getName()), containsString("no multipath"))));
    }

    @Test
    void htmxSearchGetsOnlyTheResultsFragment() throws Exception {
        var vm = fixtures.vm(fixtures.host());
        mvc.perform(get("/vms").param("q", vm.getName()).header("HX-Request", "true").with(VIEWER))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString(vm.getName())))
                .andExpect(content().string(Matchers.not(containsString("<nav class=\"navbar"))));
    }

    @Test
    void aBadWwnIsShownNextToItsFieldAndNothingIsStored() throws Exception {
        String name = unique("pool");
        mvc.perform(post("/pools").with(OPERATOR).with(csrf())
                        .param("name", name).param("naaType", "2")
                        .param("firstWwn", "2f:00:00:25:b5:00:00").param("lastWwn", "50:00:00:25:b5:00:00:ff")
                        .param("oui", "").param("description", ""))
                .andExpect(status().isOk())
                .andExpect(view().name("pools/form"))
                .andExpect(model().attributeHasFieldErrors("form", "firstWwn"))
                .andExpect(content().string(containsString("is not a valid WWN: must have 8 bytes separated by")));
        mvc.perform(post("/pools").with(OPERATOR).with(csrf())
                        .param("name", name).param("naaType", "2")
                        .param("firstWwn", "2f:00:00:25:b5:00:00:00").param("lastWwn", "50:00:00:25:b5:00:00:ff")
                        .param("oui", "").param("description", ""))
                .andExpect(status().isOk())
                .andExpect(model().attributeHasFieldErrorCode("form", "lastWwn", "refused"))
                .andExpect(content().string(containsString("has NAA type 5 but the pool allows only NAA type 2")));
        mvc.perform(get("/pools").with(VIEWER)).andExpect(content().string(Matchers.not(
                containsString(name))));
    }

    @Test
    void creatingAHostThroughTheFormRedirectsToIt() throws Exception {
        String name = unique("esx-web");
        mvc.perform(post("/hosts").with(OPERATOR).with(csrf())
                        .param("name", name).param("cluster", "c9").param("hypervisor", "HYPER_V"))
                .andExpect(status().is3xxRedirection())
                .andExpect(redirectedUrlPattern("/hosts/*"));
        mvc.perform(post("/hosts").with(OPERATOR).with(csrf())
                        .param("name", name.toUpperCase()).param("cluster", "").param("hypervisor", "KVM"))
                .andExpect(status().isOk())
                .andExpect(model().attributeHasFieldErrors("form", "name"))
                .andExpect(content().string(containsString("already exists")));
    }

    @Test
    void viewersGet403OnAnyChangeAndFormsNeedCsrf() throws Exception {
        mvc.perform(post("/hosts").with(VIEWER).with(csrf()).param("name", "x").param("hypervisor", "KVM"))
                .andExpect(status().isForbidden());
        mvc.perform(post("/vms/1/identity").with(VIEWER).with(csrf()).param("poolId", "1"))
                .andExpect(status().isForbidden());
        mvc.perform(post("/hosts").with(OPERATOR).param("name", unique("nocsrf")).param("hypervisor", "KVM"))
                .andExpect(status().isForbidden());
        mvc.perform(get("/users").with(OPERATOR)).andExpect(status().isForbidden());
        // the "New VM" button is on the VM list: there for an operator, not for a viewer
        mvc.perform(get("/vms").with(OPERATOR)).andExpect(status().isOk())
                .andExpect(content().string(containsString("id=\"new-vm\"")));
        mvc.perform(get("/vms").with(VIEWER)).andExpect(status().isOk())
                .andExpect(content().string(Matchers.not(containsString("id=\"new-vm\""))));
    }

    @Test
    void everyPageRenders() throws Exception {
        var fabric = fixtures.fabric("A");
        var host = fixtures.host();
        var adapter = fixtures.adapter(host, fabric, 8, 2);
        var vm = fixtures.vm(host);
        var pool = fixtures.pool(16);
        RequestPostProcessor admin = user("root").roles("ADMIN");
        for (String path : List.of("/", "/vms", "/vms/new", "/vms/" + vm.getId(),
                "/vms/" + vm.getId() + "/edit", "/hosts", "/hosts/new", "/hosts/" + host.getId(),
                "/hosts/" + host.getId() + "/edit", "/hosts/" + host.getId() + "/adapters/new",
                "/adapters/" + adapter.getId(), "/adapters/" + adapter.getId() + "/edit", "/fabrics", "/fabrics/new",
                "/fabrics/" + fabric.getId(), "/fabrics/" + fabric.getId() + "/edit", "/pools", "/pools/new",
                "/pools/" + pool.getId(), "/pools/" + pool.getId() + "/edit", "/arrays", "/arrays/new",
                "/wwns?wwn=" + adapter.getWwpn(), "/wwns?wwn=nonsense", "/users", "/account", "/changes", "/audit",
                "/vms/" + vm.getId() + "/zoning", "/fabrics/" + fabric.getId() + "/zoning", "/zoning/drift",
                "/traffic", "/traffic?range=30d&by=errors", "/vms/" + vm.getId() + "/traffic",
                "/vms/" + vm.getId() + "/traffic?range=7d", "/vms/" + vm.getId() + "/traffic.csv",
                "/traffic/initiators/" + adapter.getWwpn(), "/traffic/initiators/" + adapter.getWwpn() + "/series",
                "/traffic.csv", "/fabrics/" + fabric.getId() + "/adopt", "/import")) {
            String page = mvc.perform(get(path).with(admin)).andExpect(status().isOk())
                    .andExpect(MockMvcResultMatchers.header()
                            .string("Content-Security-Policy", containsString("script-src 'self';")))
                    .andExpect(MockMvcResultMatchers.header()
                            .string("X-Content-Type-Options", "nosniff"))
                    .andExpect(MockMvcResultMatchers.header()
                            .string("X-Frame-Options", "DENY"))
                    .andReturn().getResponse().getContentAsString();
            // the policy allows no inline script, so no page may carry one
            assertThat(Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>").matcher(page).find())
                    .as(path + " has an inline script").isFalse();
            assertThat(Pattern.compile("\\son[a-z]+=\"").matcher(page).find())
                    .as(path + " has an inline event handler").isFalse();
        }
    }

    @Test
    void inventoryChangesAreAuditedWithUserAndBeforeAfterButNoPassword() throws Exception {
        String name = unique("audited");
        mvc.perform(post("/hosts").with(OPERATOR).with(csrf())
                        .param("name", name).param("cluster", "c1").param("hypervisor", "KVM"))
                .andExpect(status().is3xxRedirection());
        mvc.perform(post("/fabrics").with(OPERATOR).with(csrf()).param("name", unique("fab")).param("side", "A")
                        .param("vendor", "simulated")).andExpect(status().isForbidden());
        mvc.perform(get("/fabrics/new").with(OPERATOR)).andExpect(status().isForbidden());
        mvc.perform(post("/fabrics").with(user("root").roles("ADMIN")).with(csrf()).param("name", unique("fab"))
                        .param("side", "A")
                        .param("vendor", "brocade-fos-rest").param("managementUrl", "https://switch-a.example.net")
                        .param("managementUsername", "admin").param("managementPassword", "very-secret-switch-pw")
                        .param("zoningPolicy", "PEER").param("zoneNameTemplate", "vfz_{vm}_{array}")
                        .param("defaultConfigName", "vfz_cfg"))
                .andExpect(status().is3xxRedirection());
        mvc.perform(get("/audit").param("text", name).with(VIEWER))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("Created host " + name), containsString("op"),
                        containsString("&quot;cluster&quot;:&quot;c1&quot;"))));
        mvc.perform(get("/audit").param("type", "fabric").with(VIEWER))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.not(containsString("very-secret-switch-pw"))));
    }

    @Test
    void anAdminCreatesACollectorTokenThatIsShownOnceAndStoredAsAHash() throws Exception {
        RequestPostProcessor admin = user("root").roles("ADMIN");
        String name = unique("collector");
        var flash = mvc.perform(post("/users/tokens").with(admin).with(csrf()).param("name", name)
                        .param("role", "COLLECTOR"))
                .andExpect(status().is3xxRedirection()).andReturn().getFlashMap();
        String token = (String) flash.get("newToken");
        Assertions.assertThat(token).startsWith("vfz_").hasSizeGreaterThan(40);
        mvc.perform(get("/users").with(admin)).andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString(name), Matchers.not(containsString(token)))));
        mvc.perform(post("/users/tokens").with(OPERATOR).with(csrf()).param("name", unique("x")))
                .andExpect(status().isForbidden());
    }

    @Test
    void aMissingObjectIsA404Page() throws Exception {
        mvc.perform(get("/vms/999999999").with(VIEWER))
                .andExpect(status().isNotFound())
                .andExpect(content().string(containsString("VM 999999999 does not exist")));
    }

    @Test
    void pagesLinkStylesheetsAndScriptsByTheirContentSoBrowsersKeepThemAndFetchAnUpgradedOneAnew() throws Exception {
        var vm = fixtures.vm(fixtures.host());
        var linked = new TreeSet<String>();
        for (var page : List.of(get("/login"), get("/vms").with(VIEWER), get("/vms/" + vm.getId() + "/traffic")
                .with(VIEWER))) {
            var response = mvc.perform(page).andExpect(status().isOk())
                    // the pages themselves are never kept: they show the estate as it is
                    .andExpect(header().string("Cache-Control", containsString("no-store")))
                    .andReturn().getResponse();
            var links = Pattern.compile("(?:href|src)=\"(/(?:webjars/|css/|js/|favicon)[^\"]+)\"")
                    .matcher(response.getContentAsString());
            while (links.find()) {
                linked.add(links.group(1));
            }
        }
        assertThat(linked).as("Bootstrap, htmx, uPlot's stylesheet and script, vfzone's icon, stylesheet, script and "
                + "charts").hasSize(8);
        for (String path : linked) {
            var name = Pattern.compile("-([0-9a-f]{32})\\.(css|js|svg)$").matcher(path);
            assertThat(name.find()).as(path + " carries its content's hash").isTrue();
            // without signing in: the sign-in page needs them, and a browser asking for one must not be sent to
            // the sign-in page (which would then send the user back to the icon)
            byte[] body = mvc.perform(get(path)).andExpect(status().isOk())
                    .andExpect(content().contentTypeCompatibleWith(Map.of("css", "text/css", "js", "text/javascript",
                            "svg", "image/svg+xml").get(name.group(2))))
                    .andExpect(header().string("Cache-Control", "max-age=31536000"))
                    .andReturn().getResponse().getContentAsByteArray();
            assertThat(DigestUtils.md5DigestAsHex(body)).as(path).isEqualTo(name.group(1));
        }
        mvc.perform(get("/webjars/bootstrap/css/bootstrap.min.css")).andExpect(status().isOk())
                .andExpect(content().string(containsString("Bootstrap")));
    }

    @Test
    void healthIsPublicAndMetricsNeedALogin() throws Exception {
        mvc.perform(get("/actuator/health")).andExpect(status().isOk());
        mvc.perform(get("/actuator/prometheus")).andExpect(status().isUnauthorized());
        mvc.perform(get("/actuator/prometheus").with(VIEWER)).andExpect(status().isOk())
                .andExpect(content().string(containsString("jvm_memory_used_bytes")));
        // a Prometheus server's scrape, which offers protobuf first, is answered
        mvc.perform(get("/actuator/prometheus").with(VIEWER).header("Accept", "application/vnd.google.protobuf;"
                        + "proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,text/plain;version=0.0.4;"
                        + "q=0.3,*/*;q=0.1"))
                .andExpect(status().isOk());
        mvc.perform(get("/v3/api-docs").with(VIEWER)).andExpect(status().isOk())
                .andExpect(content().string(containsString("/api/vms/{id}/identity")))
                .andExpect(jsonPath("$.paths['/api/traffic/samples'].post.requestBody.content['application/x-ndjson']")
                        .exists())
                .andExpect(jsonPath("$.paths['/api/fabrics/{id}/live-zoning'].get.tags[0]").value("Zoning"))
                .andExpect(jsonPath("$.paths['/api/notification-channels'].post.tags[0]").value("Notifications"))
                .andExpect(jsonPath("$.paths['/api/audit'].get.tags[0]").value("Audit"))
                .andExpect(jsonPath("$.tags[*].name").value(Matchers.hasItems("Zoning", "Inventory",
                        "VMs", "WWN pools", "Traffic", "Fabric logins", "Estate import", "Notifications", "Audit")));
    }

    @Test
    void theApiExplorerServesItsPageAndEveryFileThePageLoads() throws Exception {
        mvc.perform(get("/api-docs").with(VIEWER)).andExpect(status().is3xxRedirection())
                .andExpect(header().string("Location", containsString("/swagger-ui/index.html")));
        String page = mvc.perform(get("/swagger-ui/index.html").with(VIEWER)).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        java.util.regex.Matcher loaded = java.util.regex.Pattern.compile("(?:src|href)=\"(?:\\./)?([^\"/:]+)\"")
                .matcher(page);
        java.util.List<String> files = new java.util.ArrayList<>();
        while (loaded.find()) {
            files.add(loaded.group(1));
        }
        assertThat(files).contains("index.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css",
                "swagger-initializer.js");
        for (String file : files) {
            mvc.perform(get("/swagger-ui/" + file).with(VIEWER)).andExpect(status().isOk());
        }
        mvc.perform(get("/swagger-ui/swagger-initializer.js").with(VIEWER)).andExpect(status().isOk())
                .andExpect(content().string(containsString("/v3/api-docs")));
    }

    @Test
    void theOpenApiDocumentAnswersTheApisOwnAuthenticationAndNeverTheLoginPage() throws Exception {
        mvc.perform(get("/v3/api-docs")).andExpect(status().isUnauthorized());
        mvc.perform(get("/v3/api-docs").with(org.springframework.security.test.web.servlet.request
                        .SecurityMockMvcRequestPostProcessors.httpBasic("admin", "wrong-password-1")))
                .andExpect(status().isUnauthorized());
        mvc.perform(get("/v3/api-docs").with(org.springframework.security.test.web.servlet.request
                        .SecurityMockMvcRequestPostProcessors.httpBasic("admin", "integration-admin-secret")))
                .andExpect(status().isOk())
                .andExpect(MockMvcResultMatchers.jsonPath("$.openapi")
                        .exists());
    }

    @Test
    void exportsCarryTheirPeriodToTheSecondAndCountsReadAsWords() throws Exception {
        var vm = fixtures.vm(fixtures.host());
        RequestPostProcessor viewer = user("vera").roles("VIEWER");
        String top = mvc.perform(get("/traffic.csv").param("range", "7d").param("by", "write").with(viewer))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(top.lines().findFirst().orElseThrow())
                .isEqualTo("vm,period_from,period_to,read_mbps_avg,write_mbps_avg,iops_avg,errors");
        String stats = mvc.perform(get("/vms/" + vm.getId() + "/traffic.csv").with(viewer))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(Pattern.compile("\\d{2}:\\d{2}:\\d{2}\\.\\d").matcher(stats).find())
                .as("times without fractions of a second").isFalse();
        String estate = mvc.perform(get("/traffic").param("by", "write").with(viewer))
                .andReturn().getResponse().getContentAsString();
        assertThat(estate).contains("id=\"sort-write\"").contains("aria-sort=\"descending\"");
        assertThat(new Words().count(1, "zone")).isEqualTo("1 zone");
        assertThat(new Words().count(2, "alias", "aliases")).isEqualTo("2 aliases");
        assertThat(mvc.perform(get("/vms").param("q", vm.getName()).with(viewer)).andReturn().getResponse()
                .getContentAsString()).contains(">1 VM<");
    }
}
