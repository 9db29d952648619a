package org.vfzone.search;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.vfzone.IntegrationTest;
import org.vfzone.InventoryFixtures;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.Host;
import org.vfzone.inventory.Vm;
import org.vfzone.inventory.VmService;
import org.vfzone.inventory.internal.VmFabricIdentityRepository;
import org.vfzone.wwn.Wwn;

/** One box finds a VM by part of its name, and by its WWPN in any notation; what it is and where to go. */
class GlobalSearchTest extends IntegrationTest {

    static final RequestPostProcessor VIEWER = user("vera").roles("VIEWER");

    @Autowired
    MockMvc mvc;
    @Autowired
    InventoryFixtures fixtures;
    @Autowired
    VmService vms;
    @Autowired
    VmFabricIdentityRepository identities;

    @Test
    void aVmIsFoundByPartOfItsNameAndByItsWwpnInThreeNotations() throws Exception {
        Fabric fabric = fixtures.fabric("A");
        Host host = fixtures.host();
        fixtures.adapter(host, fabric, 4, 2);
        Vm vm = fixtures.vm(host);
        vms.allocateIdentityAndAssignVfs(vm.getId(), fixtures.pool(8).getId(), "alice");
        Wwn active = identities.findByVmIdAndFabricId(vm.getId(), fabric.getId()).orElseThrow().getActiveWwpn();

        mvc.perform(get("/api/search").param("q", vm.getName().substring(0, vm.getName().length() - 1).toUpperCase())
                        .with(VIEWER))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[?(@.type == 'VM')].link").value(hasItem("/vms/" + vm.getId())));
        String colons = active.toString();
        String bare = colons.replace(":", "").toUpperCase();
        String dashes = colons.replace(":", "-");
        for (String notation : new String[] {colons, bare, dashes}) {
            mvc.perform(get("/api/search").param("q", notation).with(VIEWER))
                    .andExpect(jsonPath("$[0].type").value("VM"))
                    .andExpect(jsonPath("$[0].label").value(vm.getName()))
                    .andExpect(jsonPath("$[0].detail").value("active WWPN on fabric " + fabric.getName()))
                    .andExpect(jsonPath("$[?(@.type == 'WWN')].link").value(hasItem("/wwns?wwn=" + colons)));
        }
        mvc.perform(get("/search").param("q", bare).with(VIEWER))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("/vms/" + vm.getId())));
        mvc.perform(get("/api/search").param("q", "100%_\\").with(VIEWER)).andExpect(status().isOk());
    }
}
