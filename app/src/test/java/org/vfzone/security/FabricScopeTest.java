package org.vfzone.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.vfzone.IntegrationTest;
import org.vfzone.InventoryFixtures;
import org.vfzone.fabric.brocade.BrocadeFosEmulator;
import org.vfzone.fabric.cisco.CiscoMdsEmulator;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.FabricForm;
import org.vfzone.inventory.FabricService;
import org.vfzone.inventory.Host;
import org.vfzone.inventory.StorageArray;
import org.vfzone.inventory.StorageArrayForm;
import org.vfzone.inventory.StorageArrayService;
import org.vfzone.inventory.TargetPortForm;
import org.vfzone.inventory.Vm;
import org.vfzone.inventory.VmService;
import org.vfzone.inventory.ZoningPolicy;
import org.vfzone.zoning.StorageAccessService;

/** A role granted on chosen fabrics: planning, approving, pushing and adopting elsewhere are refused with a 403. */
class FabricScopeTest extends IntegrationTest {

    static final String PASSWORD = "scope-test-password";

    @Autowired
    MockMvc mvc;
    @Autowired
    FabricService fabrics;
    @Autowired
    InventoryFixtures fixtures;
    @Autowired
    VmService vms;
    @Autowired
    StorageArrayService arrays;
    @Autowired
    StorageAccessService access;
    @Autowired
    JdbcTemplate jdbc;

    BrocadeFosEmulator brocade;
    CiscoMdsEmulator cisco;
    Fabric fabricA;
    Fabric fabricB;

    @BeforeEach
    void estate() {
        brocade = new BrocadeFosEmulator("admin", "fos-secret-1", 10);
        cisco = new CiscoMdsEmulator("admin", "mds-secret-1", 20);
        fabricA = fixtures.brocadeFabric(brocade, 10, "fos-secret-1");
        fabricB = fixtures.mdsFabric(cisco, 20, "mds-secret-1");
        Host host = fixtures.host();
        fixtures.adapter(host, fabricA, 8, 2);
        fixtures.adapter(host, fabricB, 8, 2);
        Vm vm = fixtures.vm(host);
        vms.allocateIdentityAndAssignVfs(vm.getId(), fixtures.pool(16).getId(), "alice");
        StorageArray array = arrays.create(new StorageArrayForm(unique("pure"), "Pure Storage", "", ""));
        arrays.addPort(array.getId(), new TargetPortForm("CT0-FC0", uniqueWwn(), fabricA.getId()));
        arrays.addPort(array.getId(), new TargetPortForm("CT0-FC1", uniqueWwn(), fabricB.getId()));
        access.grant(vm.getId(), array.getId(), "alice");
    }

    @AfterEach
    void stop() {
        brocade.close();
        cisco.close();
    }

    private long createUser(String name, String role, String scopeJson) throws Exception {
        String body = mvc.perform(post("/api/users").with(user("root").roles("ADMIN"))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\",\"role\":\"" + role
                                + "\"," + scopeJson + "}"))
                .andExpect(status().isCreated())
                .andReturn().getResponse().getContentAsString();
        return Long.parseLong(body.replaceAll("(?s).*\"id\":(\\d+).*", "$1"));
    }

    @Test
    void anOperatorScopedToFabricAPlansThereAndIsRefusedOnFabricB() throws Exception {
        String operator = unique("op-a");
        createUser(operator, "OPERATOR", "\"allFabrics\":false,\"fabricIds\":[" + fabricA.getId() + "]");

        mvc.perform(post("/api/fabrics/{id}/plan", fabricA.getId()).with(httpBasic(operator, PASSWORD)))
                .andExpect(status().isCreated());
        mvc.perform(post("/api/fabrics/{id}/plan", fabricB.getId()).with(httpBasic(operator, PASSWORD)))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.detail", containsString("needs OPERATOR on that fabric")))
                .andExpect(jsonPath("$.detail", containsString(fabricB.getName())));
        mvc.perform(post("/api/fabrics/{id}/adopt", fabricB.getId()).with(httpBasic(operator, PASSWORD))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"zones\":[\"z1\"]}"))
                .andExpect(status().isForbidden());
        assertThat(jdbc.queryForObject("select count(*) from change_set where fabric_id = ?", Long.class,
                fabricB.getId())).isZero();

        mvc.perform(get("/api/me").with(httpBasic(operator, PASSWORD)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.grants").value("OPERATOR on " + fabricA.getName()))
                .andExpect(jsonPath("$.fabrics[?(@.fabricId == " + fabricA.getId() + ")].role").value("OPERATOR"))
                .andExpect(jsonPath("$.fabrics[?(@.fabricId == " + fabricB.getId() + ")].role").value("VIEWER"));
    }

    @Test
    void approvingAndPushingCheckTheChangeSetsFabric() throws Exception {
        String planner = unique("planner");
        createUser(planner, "OPERATOR", "\"allFabrics\":true");
        String approverB = unique("appr-b");
        long approverId = createUser(approverB, "APPROVER", "\"allFabrics\":false,\"fabricIds\":[" + fabricB.getId() + "]");

        String planned = mvc.perform(post("/api/fabrics/{id}/plan", fabricA.getId()).with(httpBasic(planner, PASSWORD)))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        long changeSetId = Long.parseLong(planned.replaceAll("(?s).*\"id\":(\\d+).*", "$1"));

        mvc.perform(post("/api/changes/{id}/approve", changeSetId).with(httpBasic(approverB, PASSWORD)))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.detail", containsString("needs APPROVER on that fabric")));

        // the admin widens the approver's scope; their next request may approve
        mvc.perform(put("/api/users/{id}", approverId).with(user("root").roles("ADMIN"))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"role\":\"APPROVER\",\"allFabrics\":false,\"fabricIds\":[" + fabricA.getId() + ","
                                + fabricB.getId() + "]}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.fabricIds.length()").value(2));
        mvc.perform(post("/api/changes/{id}/approve", changeSetId).with(httpBasic(approverB, PASSWORD)))
                .andExpect(status().isOk());

        // narrowed to B again: pushing the A change is refused
        mvc.perform(put("/api/users/{id}", approverId).with(user("root").roles("ADMIN"))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"role\":\"APPROVER\",\"fabricIds\":[" + fabricB.getId() + "]}"))
                .andExpect(status().isOk());
        mvc.perform(post("/api/changes/{id}/push", changeSetId).with(httpBasic(approverB, PASSWORD)))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.detail", containsString("push to fabric " + fabricA.getName())));
        assertThat(jdbc.queryForObject("select status from change_set where id = ?", String.class, changeSetId))
                .isEqualTo("APPROVED");
    }

    @Test
    void aScopeNeedsAtLeastOneKnownFabric() throws Exception {
        mvc.perform(post("/api/users").with(user("root").roles("ADMIN")).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"username\":\"" + unique("nofab") + "\",\"password\":\"" + PASSWORD
                                + "\",\"role\":\"OPERATOR\",\"allFabrics\":false,\"fabricIds\":[]}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("fabricIds"));
        mvc.perform(post("/api/users").with(user("root").roles("ADMIN")).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"username\":\"" + unique("badfab") + "\",\"password\":\"" + PASSWORD
                                + "\",\"role\":\"OPERATOR\",\"fabricIds\":[987654321]}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].message", containsString("no fabric with id 987654321")));
        mvc.perform(get("/api/users").with(user("op").roles("OPERATOR"))).andExpect(status().isForbidden());
    }
}
