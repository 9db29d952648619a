package org.vfzone.hypervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathFactory;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;
import org.vfzone.IntegrationTest;
import org.vfzone.InventoryFixtures;
import org.vfzone.inventory.Adapter;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.Host;
import org.vfzone.inventory.Vm;
import org.vfzone.inventory.VmFabricIdentity;
import org.vfzone.inventory.VmService;
import org.vfzone.inventory.internal.VmFabricIdentityRepository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The configurations are checked against the hypervisors' documented interfaces: the vSphere API's NPIV fields, the
 * Hyper-V cmdlet's parameter names, and the structure of libvirt's node-device and hostdev XML.
 */
class HypervisorConfigTest extends IntegrationTest {

    /** Add-VMFibreChannelHba's parameters that set a VM's WWNs (Microsoft Learn, Hyper-V module). */
    static final Set<String> ADD_VMFIBRECHANNELHBA_PARAMETERS = Set.of("VMName", "SanName", "WorldWideNodeNameSetA",
            "WorldWidePortNameSetA", "WorldWideNodeNameSetB", "WorldWidePortNameSetB");
    /** New-VMSan's parameters (Microsoft Learn, Hyper-V module). */
    static final Set<String> NEW_VMSAN_PARAMETERS = Set.of("Name", "WorldWideNodeName", "WorldWidePortName");

    @Autowired
    MockMvc mvc;
    @Autowired
    InventoryFixtures fixtures;
    @Autowired
    VmService vms;
    @Autowired
    VmFabricIdentityRepository identities;

    Vm vm;
    Fabric fabricA;
    Fabric fabricB;
    Adapter portA;
    Adapter portB;
    final JsonMapper json = new JsonMapper();

    @BeforeEach
    void vmWithIdentity() {
        Host host = fixtures.host();
        fabricA = fixtures.fabric("A");
        fabricB = fixtures.fabric("B");
        portA = fixtures.adapter(host, fabricA, 8, 2);
        portB = fixtures.adapter(host, fabricB, 8, 2);
        vm = fixtures.vm(host);
        vms.allocateIdentityAndAssignVfs(vm.getId(), fixtures.pool(16).getId(), "alice");
        vm = vms.get(vm.getId());
    }

    JsonNode config(String kind) throws Exception {
        return json.readTree(mvc.perform(get("/api/vms/{id}/hypervisor-config", vm.getId()).param("kind", kind)
                        .with(user("viewer").roles("VIEWER")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
    }

    VmFabricIdentity pair(Fabric fabric) {
        return identities.findByVmIdAndFabricId(vm.getId(), fabric.getId()).orElseThrow();
    }

    static String hex(org.vfzone.wwn.Wwn wwn) {
        return String.format("%016x", wwn.value());
    }

    @Test
    void vSphereGetsTheNpivFieldsOfAConfigSpecWithEveryWwnAsA64BitInteger() throws Exception {
        JsonNode config = config("vsphere");
        JsonNode spec = json.readTree(config.get("parts").get(1).get("content").asString());
        assertThat(spec.get("npivWorldWideNameOp").asString()).isEqualTo("set");
        assertThat(spec.get("npivWorldWideNameType").asString()).isEqualTo("external");
        assertThat(spec.get("npivNodeWorldWideName").get(0).asLong()).isEqualTo(vm.getWwnn().value());
        List<Long> ports = new ArrayList<>();
        spec.get("npivPortWorldWideName").forEach(port -> ports.add(port.asLong()));
        assertThat(ports).containsExactly(pair(fabricA).getActiveWwpn().value(), pair(fabricA).getStandbyWwpn().value(),
                pair(fabricB).getActiveWwpn().value(), pair(fabricB).getStandbyWwpn().value());
        String script = config.get("parts").get(0).get("content").asString();
        assertThat(script).contains("$spec = New-Object VMware.Vim.VirtualMachineConfigSpec",
                "$spec.NpivWorldWideNameOp = 'set'", "$spec.NpivWorldWideNameType = 'external'",
                "$spec.NpivNodeWorldWideName = [long[]]@(" + vm.getWwnn().value() + ")",
                "$vm.ExtensionData.ReconfigVM($spec)", "Get-VM -Name '" + vm.getName() + "'");
    }

    @Test
    void hyperVGetsOneAdapterPerFabricWithTheActiveWwpnAsSetAAndTheStandbyAsSetB() throws Exception {
        String script = config("hyperv").get("parts").get(0).get("content").asString();
        List<String> adds = script.lines().filter(line -> line.startsWith("Add-VMFibreChannelHba")).toList();
        assertThat(adds).hasSize(2);
        for (String add : adds) {
            assertThat(parameters(add).keySet()).isEqualTo(ADD_VMFIBRECHANNELHBA_PARAMETERS);
        }
        var a = parameters(adds.get(0));
        assertThat(a.get("SanName")).isEqualTo(fabricA.getName());
        assertThat(a.get("WorldWideNodeNameSetA")).isEqualTo(hex(vm.getWwnn()).toUpperCase())
                .isEqualTo(a.get("WorldWideNodeNameSetB"));
        assertThat(a.get("WorldWidePortNameSetA")).isEqualTo(hex(pair(fabricA).getActiveWwpn()).toUpperCase());
        assertThat(a.get("WorldWidePortNameSetB")).isEqualTo(hex(pair(fabricA).getStandbyWwpn()).toUpperCase());
        List<String> sans = script.lines().filter(line -> line.startsWith("#   New-VMSan")).toList();
        assertThat(sans).hasSize(2);
        var san = parameters(sans.get(0).substring(4));
        assertThat(san.keySet()).isEqualTo(NEW_VMSAN_PARAMETERS);
        assertThat(san.get("WorldWidePortName")).isEqualTo(hex(portA.getWwpn()).toUpperCase());
    }

    /** {@code -Name 'value'} pairs of one PowerShell command line, with '' inside a value read as '. */
    static java.util.Map<String, String> parameters(String line) {
        java.util.Map<String, String> found = new java.util.LinkedHashMap<>();
        Matcher m = Pattern.compile("-(\\w+) '((?:[^']|'')*)'").matcher(line);
        while (m.find()) {
            found.put(m.group(1), m.group(2).replace("''", "'"));
        }
        return found;
    }

    @Test
    void libvirtGetsAVhbaNodeDevicePerFabricAndAPciHostdevPerVf() throws Exception {
        JsonNode parts = config("libvirt").get("parts");
        XPath xpath = XPathFactory.newInstance().newXPath();
        Set<String> vhbaWwpns = new LinkedHashSet<>();
        int hostdevs = 0;
        for (JsonNode part : parts) {
            Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new InputSource(new StringReader(part.get("content").asString())));
            String root = doc.getDocumentElement().getTagName();
            if (root.equals("device")) {
                assertThat(xpath.evaluate("/device/parent/@wwnn", doc)).matches("[0-9a-f]{16}");
                assertThat(xpath.evaluate("/device/parent/@wwpn", doc)).isIn(hex(portA.getWwpn()), hex(portB.getWwpn()));
                assertThat(xpath.evaluate("/device/capability[@type='scsi_host']/capability[@type='fc_host']/wwnn",
                        doc)).isEqualTo(hex(vm.getWwnn()));
                vhbaWwpns.add(xpath.evaluate("/device/capability[@type='scsi_host']/capability[@type='fc_host']/wwpn",
                        doc));
                assertThat(part.get("howToApply").asString()).startsWith("virsh nodedev-create ");
            } else {
                assertThat(root).isEqualTo("hostdev");
                assertThat(xpath.evaluate("/hostdev/@mode", doc)).isEqualTo("subsystem");
                assertThat(xpath.evaluate("/hostdev/@type", doc)).isEqualTo("pci");
                assertThat(xpath.evaluate("/hostdev/source/address/@domain", doc)).matches("0x[0-9a-f]{4}");
                assertThat(xpath.evaluate("/hostdev/source/address/@bus", doc)).matches("0x[0-9a-f]{2}");
                assertThat(xpath.evaluate("/hostdev/source/address/@slot", doc)).matches("0x[0-9a-f]{2}");
                assertThat(xpath.evaluate("/hostdev/source/address/@function", doc)).matches("0x[0-7]");
                assertThat(part.get("howToApply").asString()).startsWith("virsh attach-device ").endsWith("--config");
                hostdevs++;
            }
        }
        assertThat(vhbaWwpns).containsExactlyInAnyOrder(hex(pair(fabricA).getActiveWwpn()),
                hex(pair(fabricB).getActiveWwpn()));
        assertThat(hostdevs).isEqualTo(2);
    }

    @Test
    void aVmWithoutIdentityOrAnUnknownKindIsRefusedSayingWhy() throws Exception {
        Vm bare = fixtures.vm(fixtures.host());
        mvc.perform(get("/api/vms/{id}/hypervisor-config", bare.getId()).param("kind", "vsphere")
                        .with(user("viewer").roles("VIEWER")))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("allocate it first")));
        mvc.perform(get("/api/vms/{id}/hypervisor-config", vm.getId()).param("kind", "xen")
                        .with(user("viewer").roles("VIEWER")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("kind"));
        mvc.perform(get("/vms/{id}/hypervisor", vm.getId()).param("kind", "hyperv").with(user("viewer").roles("VIEWER")))
                .andExpect(status().isOk())
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.content()
                        .string(org.hamcrest.Matchers.containsString("Add-VMFibreChannelHba")));
    }
}
