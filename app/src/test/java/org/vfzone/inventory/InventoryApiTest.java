package org.vfzone.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;

import com.jayway.jsonpath.JsonPath;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.vfzone.IntegrationTest;
import org.vfzone.InventoryFixtures;
import org.vfzone.security.Role;
import org.vfzone.security.UserService;

/** The JSON API end to end: HTTP Basic, roles, validation errors with field and reason, the allocation flow. */
class InventoryApiTest extends IntegrationTest {

    static final String PASSWORD = "api-test-password";

    @Autowired
    MockMvc mvc;
    @Autowired
    UserService users;
    @Autowired
    InventoryFixtures fixtures;
    @Autowired
    VmService vms;
    @Autowired
    FabricService fabricService;

    RequestPostProcessor operator;
    RequestPostProcessor viewer;
    RequestPostProcessor admin;

    @BeforeEach
    void users() {
        operator = user(Role.OPERATOR);
        admin = user(Role.ADMIN);
        viewer = user(Role.VIEWER);
    }

    private RequestPostProcessor user(Role role) {
        String name = unique(role.name().toLowerCase());
        users.create(name, PASSWORD, role);
        return httpBasic(name, PASSWORD);
    }

    private String body(String json) {
        return json.replace('\'', '"');
    }

    MockHttpServletRequestBuilder putFabric(long id,
            RequestPostProcessor who, String json) {
        return put("/api/fabrics/{id}", id).with(who).contentType(MediaType.APPLICATION_JSON).content(json);
    }

    @Test
    void aChangedSwitchEndpointDropsTheStoredPasswordUnlessANewOneComesWithIt() throws Exception {
        String name = unique("pw");
        String create = "{'name':'" + name + "','side':'A','vendor':'brocade-fos-rest','managementUrl':"
                + "'https://switch-a.example.net','managementUsername':'admin','managementPassword':'switch-secret'}";
        long fabric = id(mvc.perform(post("/api/fabrics").with(admin).contentType(MediaType.APPLICATION_JSON)
                .content(body(create))).andExpect(status().isCreated()).andReturn().getResponse().getContentAsString());
        FabricService fabrics = fabricService;
        assertThat(fabrics.connectionOf(fabric).passwordStored()).isTrue();
        // an operator may not point the fabric elsewhere at all
        mvc.perform(putFabric(fabric, operator, body(create.replace("switch-a.example.net", "attacker.example.org"))))
                .andExpect(status().isForbidden());
        // a description change keeps it
        mvc.perform(putFabric(fabric, admin,
                        body(create.replace(",'managementPassword':'switch-secret'", ",'description':'x'"))))
                .andExpect(status().isOk());
        assertThat(fabrics.connectionOf(fabric).passwordStored()).isTrue();
        // a new URL without the password drops it: it never goes to the new endpoint
        mvc.perform(putFabric(fabric, admin, body(create.replace("switch-a.example.net", "switch-a2.example.net")
                                .replace(",'managementPassword':'switch-secret'", ""))))
                .andExpect(status().isOk());
        assertThat(fabrics.connectionOf(fabric).passwordStored()).isFalse();
        // with the password in the same request it is kept for the new endpoint
        mvc.perform(putFabric(fabric, admin, body(create.replace("'managementUsername':'admin'", "'managementUsername':'zoneadm'")
                                .replace("switch-secret", "other-secret"))))
                .andExpect(status().isOk());
        assertThat(fabrics.connectionOf(fabric).passwordStored()).isTrue();
        // a pinned certificate is an endpoint change too, and a malformed one a field error
        mvc.perform(putFabric(fabric, admin, body(create.replace(",'managementPassword':'switch-secret'",
                                ",'tlsCertificateSha256':'not-a-fingerprint'"))))
                .andExpect(status().isBadRequest());
    }

    @Test
    void buildsAVmWithDualFabricPathsThroughTheApi() throws Exception {
        mvc.perform(post("/api/fabrics").with(operator).contentType(MediaType.APPLICATION_JSON)
                        .content(body("{'name':'" + unique("api-op") + "','side':'A','vendor':'simulated'}")))
                .andExpect(status().isForbidden());
        long fabricA = id(mvc.perform(post("/api/fabrics").with(admin).contentType(MediaType.APPLICATION_JSON)
                        .content(body("{'name':'" + unique("api-A") + "','side':'A','vendor':'simulated'}")))
                .andExpect(status().isCreated()).andExpect(header().string("Location", containsString("/api/fabrics/")))
                .andReturn().getResponse().getContentAsString());
        long fabricB = id(mvc.perform(post("/api/fabrics").with(admin).contentType(MediaType.APPLICATION_JSON)
                        .content(body("{'name':'" + unique("api-B") + "','side':'B','vendor':'simulated'}")))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString());
        long host = id(mvc.perform(post("/api/hosts").with(operator).contentType(MediaType.APPLICATION_JSON)
                        .content(body("{'name':'" + unique("esx") + "','cluster':'c1','hypervisor':'KVM'}")))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString());
        for (long fabric : new long[] {fabricA, fabricB}) {
            String pci = fabric == fabricA ? "0000:3b:00.0" : "0000:3b:00.1";
            long adapter = id(mvc.perform(post("/api/hosts/" + host + "/adapters").with(operator)
                            .contentType(MediaType.APPLICATION_JSON)
                            .content(body("{'kind':'HBA','vendor':'Emulex','model':'LPe35002','pciAddress':'" + pci
                                    + "','wwnn':'" + uniqueWwn().replace(":", "") + "','wwpn':'" + uniqueWwn()
                                    + "','fabricId':" + fabric + ",'maxVfs':16,'maxNpivVports':64}")))
                    .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString());
            mvc.perform(put("/api/adapters/" + adapter + "/vfs").with(operator).contentType(MediaType.APPLICATION_JSON)
                            .content("{\"count\":4}"))
                    .andExpect(status().isOk()).andExpect(jsonPath("$", hasSize(4)))
                    .andExpect(jsonPath("$[0].state").value("FREE"));
        }
        long pool = fixtures.pool(64).getId();
        long vm = id(mvc.perform(post("/api/vms").with(operator).contentType(MediaType.APPLICATION_JSON)
                        .content(body("{'name':'" + unique("db") + "','hostId':" + host + "}")))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.warnings[0]").value(containsString("no multipath")))
                .andReturn().getResponse().getContentAsString());

        mvc.perform(post("/api/vms/" + vm + "/identity").with(operator).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"poolId\":" + pool + "}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.actions", hasSize(5)))
                .andExpect(jsonPath("$.vm.wwnn").isNotEmpty())
                .andExpect(jsonPath("$.vm.fabrics", hasSize(2)))
                .andExpect(jsonPath("$.vm.fabrics[0].usable").value(true))
                .andExpect(jsonPath("$.vm.fabrics[1].usable").value(true))
                .andExpect(jsonPath("$.vm.warnings", hasSize(0)));

        mvc.perform(get("/api/vms/" + vm).with(viewer))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.fabrics[0].activeWwpn").isNotEmpty())
                .andExpect(jsonPath("$.fabrics[0].standbyWwpn").isNotEmpty())
                .andExpect(jsonPath("$.fabrics[0].vfs", hasSize(1)));
    }

    @Test
    void invalidInputListsEachFieldAndReason() throws Exception {
        long host = fixtures.host().getId();
        mvc.perform(post("/api/hosts/" + host + "/adapters").with(operator).contentType(MediaType.APPLICATION_JSON)
                        .content(body("{'kind':'HBA','vendor':'Emulex','model':'LPe','pciAddress':'3b:00.0',"
                                + "'wwnn':'20:00:00:10:9b:zz:00:01','wwpn':'0000000000000000','maxVfs':300,"
                                + "'maxNpivVports':10}")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[?(@.field == 'wwnn')].message")
                        .value("is not a valid WWN: 'z' is not a hex digit"))
                .andExpect(jsonPath("$.errors[?(@.field == 'wwpn')].message")
                        .value("is not a valid WWN: must not be all zeros"))
                .andExpect(jsonPath("$.errors[?(@.field == 'pciAddress')].message")
                        .value("must be a PCI address like 0000:3b:00.0"))
                .andExpect(jsonPath("$.errors[?(@.field == 'maxVfs')]").exists());
    }

    @Test
    void aDuplicateWwnIsAConflictThatSaysWhereItIsUsed() throws Exception {
        var adapter = fixtures.adapter(fixtures.host(), fixtures.fabric("A"), 4, 0);
        long array = id(mvc.perform(post("/api/arrays").with(operator).contentType(MediaType.APPLICATION_JSON)
                        .content(body("{'name':'" + unique("arr") + "','vendor':'NetApp'}")))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString());
        mvc.perform(post("/api/arrays/" + array + "/ports").with(operator).contentType(MediaType.APPLICATION_JSON)
                        .content(body("{'name':'0e','wwpn':'" + adapter.getWwpn() + "','fabricId':"
                                + adapter.getFabric().getId() + "}")))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.errors[0].field").value("wwpn"))
                .andExpect(jsonPath("$.detail").value(containsString("is already used as the WWPN of adapter")));
        mvc.perform(get("/api/wwns/" + adapter.getWwpn().toString().replace(':', '-')).with(viewer))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.inUse").value(true))
                .andExpect(jsonPath("$.usedAs").value(containsString("WWPN of adapter")));
    }

    @Test
    void viewersCannotChangeAnythingAndStrangersCannotRead() throws Exception {
        mvc.perform(post("/api/hosts").with(viewer).contentType(MediaType.APPLICATION_JSON)
                        .content(body("{'name':'x','hypervisor':'KVM'}")))
                .andExpect(status().isForbidden());
        mvc.perform(delete("/api/fabrics/1").with(viewer)).andExpect(status().isForbidden());
        mvc.perform(get("/api/fabrics")).andExpect(status().isUnauthorized());
        mvc.perform(get("/api/fabrics").with(httpBasic("admin", "wrong-password"))).andExpect(status().isUnauthorized());
        mvc.perform(get("/api/fabrics").with(viewer)).andExpect(status().isOk());
        // ADMIN inherits every role below it
        mvc.perform(post("/api/hosts").with(httpBasic("admin", "integration-admin-secret"))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(body("{'name':'" + unique("adm") + "','hypervisor':'KVM'}")))
                .andExpect(status().isCreated());
    }

    @Test
    void deletingAHostWithVmsIsRefusedWithTheReason() throws Exception {
        var host = fixtures.host();
        fixtures.vm(host);
        mvc.perform(delete("/api/hosts/" + host.getId()).with(operator))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail").value(containsString("still runs 1 VM(s)")));
        mvc.perform(get("/api/hosts/" + host.getId()).with(viewer)).andExpect(status().isOk());
    }

    @Test
    void listsArePagedAndSearchable() throws Exception {
        var host = fixtures.host();
        String prefix = unique("pg");
        for (int i = 0; i < 3; i++) {
            mvc.perform(post("/api/vms").with(operator).contentType(MediaType.APPLICATION_JSON)
                    .content(body("{'name':'" + prefix + "-" + i + "','hostId':" + host.getId() + "}")))
                    .andExpect(status().isCreated());
        }
        mvc.perform(get("/api/vms").param("q", prefix).param("size", "2").with(viewer))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.total").value(3))
                .andExpect(jsonPath("$.items", hasSize(2)))
                .andExpect(jsonPath("$.items[0].name").value(prefix + "-0"));
    }

    private static long id(String json) {
        return ((Number) JsonPath.read(json, "$.id")).longValue();
    }

    @Test
    void theVmListSortsByAnyColumnFiltersByFabricAndClusterAndRefusesAnUnknownSort() throws Exception {
        Fabric fabric = fixtures.fabric("A");
        Fabric other = fixtures.fabric("B");
        String cluster = unique("cl");
        Host alpha = fixtures.host();
        Host zulu = fixtures.host();
        fixtures.adapter(alpha, fabric, 4, 2);
        fixtures.adapter(zulu, other, 4, 2);
        String prefix = unique("sortvm");
        long pool = fixtures.pool(16).getId();
        for (var spec : List.of(new Object[] {"b", alpha}, new Object[] {"a", zulu}, new Object[] {"c", alpha})) {
            var vm = vms.create(new VmForm(prefix + "-" + spec[0], "", ((Host) spec[1]).getId(),
                    cluster));
            vms.allocateIdentityAndAssignVfs(vm.getId(), pool, "tester");
        }
        mvc.perform(get("/api/vms").param("q", prefix).param("sort", "name,desc").with(viewer))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items[*].name").value(Matchers.contains(prefix + "-c", prefix + "-b",
                        prefix + "-a")));
        mvc.perform(get("/api/vms").param("q", prefix).param("fabric", "" + fabric.getId()).param("cluster", cluster)
                        .param("sort", "host,asc").with(viewer))
                .andExpect(jsonPath("$.items[*].name").value(Matchers.contains(prefix + "-b",
                        prefix + "-c")));
        mvc.perform(get("/api/vms").param("sort", "password,asc").with(viewer))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("sort"));
        mvc.perform(get("/api/vms").param("sort", "name,sideways").with(viewer))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].field").value("sort"));
        mvc.perform(get("/vms").param("q", prefix).param("sort", "name,desc").param("size", "25")
                        .with(SecurityMockMvcRequestPostProcessors
                                .user("vera").roles("VIEWER")))
                .andExpect(status().isOk())
                .andExpect(content().string(Matchers.containsString("Name ▼")));
    }

    @Test
    void everyListSortsByItsColumnsAndNamesAnUnknownOne() throws Exception {
        String prefix = unique("sortme").replace("-", "");
        for (String suffix : new String[] {"b", "A", "c"}) {
            mvc.perform(post("/api/hosts").with(operator).contentType(MediaType.APPLICATION_JSON)
                            .content(body("{'name':'" + prefix + suffix + "','cluster':'cl-" + suffix + "','hypervisor':'ESXI'}")))
                    .andExpect(status().isCreated());
        }
        mvc.perform(get("/api/hosts").param("q", prefix).param("sort", "name,desc").with(viewer))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items[*].name").value(Matchers.contains(prefix + "c",
                        prefix + "b", prefix + "A")));
        mvc.perform(get("/api/hosts").param("q", prefix).param("sort", "cluster,asc").param("size", "2").with(viewer))
                .andExpect(jsonPath("$.items[*].name").value(Matchers.contains(prefix + "A",
                        prefix + "b")));
        mvc.perform(get("/api/hosts").param("sort", "password,asc").with(viewer))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("sort"))
                .andExpect(jsonPath("$.errors[0].message").value("sorts by cluster, hypervisor, name, not password"));
        mvc.perform(get("/api/changes").param("sort", "fabric,asc").with(viewer)).andExpect(status().isOk());
        mvc.perform(get("/api/changes").param("sort", "createdAt;drop,asc").with(viewer))
                .andExpect(status().isBadRequest());
        mvc.perform(get("/api/audit").param("sort", "actor,asc").with(viewer))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[0].actor").value(Matchers.notNullValue()));
        mvc.perform(get("/api/audit").param("sort", "summary,asc").with(viewer)).andExpect(status().isBadRequest());
        mvc.perform(get("/api/arrays").param("sort", "ports,desc").with(viewer)).andExpect(status().isOk());
        mvc.perform(get("/api/arrays").param("sort", "colour").with(viewer)).andExpect(status().isBadRequest());
        mvc.perform(get("/api/fabrics").param("sort", "side,desc").with(viewer)).andExpect(status().isOk());
        mvc.perform(get("/api/wwn-pools").param("sort", "free,desc").with(viewer)).andExpect(status().isOk());
        mvc.perform(get("/api/wwn-pools").param("sort", "owner").with(viewer))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].message").value("sorts by first, free, name, size, not owner"));
    }
}
