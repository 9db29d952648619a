package org.vfzone.hypervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathFactory;

import org.hamcrest.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.result.MockMvcResultMatchers;
import org.vfzone.IntegrationTest;
import org.vfzone.InventoryFixtures;
import org.vfzone.inventory.Adapter;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.Host;
import org.vfzone.inventory.HostForm;
import org.vfzone.inventory.HostService;
import org.vfzone.inventory.Hypervisor;
import org.vfzone.inventory.Vm;
import org.vfzone.inventory.VmFabricIdentity;
import org.vfzone.inventory.VmForm;
import org.vfzone.inventory.VmService;
import org.vfzone.inventory.internal.VmFabricIdentityRepository;
import org.vfzone.wwn.Wwn;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The configurations are checked against the hypervisors' documented interfaces: the vSphere API's NPIV fields, the
 * Hyper-V cmdlet's parameter names, and libvirt's own RelaxNG schemas and {@code virsh} (its test driver).
 */
class HypervisorConfigTest extends IntegrationTest {

    /** Add-VMFibreChannelHba's parameters that set a VM's WWNs (Microsoft Learn, Hyper-V module). */
    static final Set<String> ADD_VMFIBRECHANNELHBA_PARAMETERS = Set.of("VM", "SanName", "WorldWideNodeNameSetA",
            "WorldWidePortNameSetA", "WorldWideNodeNameSetB", "WorldWidePortNameSetB");
    /** Set-VMFibreChannelHba's parameters that change an adapter's WWNs (Microsoft Learn, Hyper-V module). */
    static final Set<String> SET_VMFIBRECHANNELHBA_PARAMETERS = Set.of("VMFibreChannelHba", "WorldWideNodeNameSetA",
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
    @Autowired
    HostService hosts;

    Vm vm;
    Fabric fabricA;
    Fabric fabricB;
    Adapter portA;
    Adapter portB;
    final JsonMapper json = new JsonMapper();

    @BeforeEach
    void vmWithIdentity() {
        vm = vmOn(Hypervisor.ESXI, unique("vm"));
    }

    /** A VM named {@code name} on a new host of that hypervisor, with its identity and VFs. */
    Vm vmOn(Hypervisor hypervisor, String name) {
        Host host = hosts.create(new HostForm(unique("host"), "cl-test", hypervisor));
        fabricA = fixtures.fabric("A");
        fabricB = fixtures.fabric("B");
        portA = fixtures.adapter(host, fabricA, 8, 2);
        portB = fixtures.adapter(host, fabricB, 8, 2);
        Vm created = vms.create(new VmForm(name, "", host.getId(), ""));
        vms.allocateIdentityAndAssignVfs(created.getId(), fixtures.pool(16).getId(), "alice");
        return vms.get(created.getId());
    }

    JsonNode config(String kind) throws Exception {
        return config(vm, kind);
    }

    JsonNode config(Vm of, String kind) throws Exception {
        return json.readTree(mvc.perform(get("/api/vms/{id}/hypervisor-config", of.getId()).param("kind", kind)
                        .with(user("viewer").roles("VIEWER")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
    }

    VmFabricIdentity pair(Fabric fabric) {
        return identities.findByVmIdAndFabricId(vm.getId(), fabric.getId()).orElseThrow();
    }

    static String hex(Wwn wwn) {
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
        // ESXi takes the port WWNs in sequence, one per HBA: HBA 1 is on A, HBA 2 on B
        assertThat(ports).containsExactly(pair(fabricA).getActiveWwpn().value(), pair(fabricB).getActiveWwpn().value(),
                pair(fabricA).getStandbyWwpn().value(), pair(fabricB).getStandbyWwpn().value());
        List<String> notes = new ArrayList<>();
        config.get("notes").forEach(note -> notes.add(note.asString()));
        assertThat(notes).anySatisfy(note -> assertThat(note).startsWith("HBA 1 (").contains(
                pair(fabricA).getActiveWwpn() + " (active on " + fabricA.getName() + ")"));
        assertThat(notes).anySatisfy(note -> assertThat(note).startsWith("HBA 2 (").contains(
                pair(fabricB).getActiveWwpn() + " (active on " + fabricB.getName() + ")"));
        String script = config.get("parts").get(0).get("content").asString();
        assertThat(script).contains("$spec = New-Object VMware.Vim.VirtualMachineConfigSpec",
                "$spec.NpivWorldWideNameOp = 'set'", "$spec.NpivWorldWideNameType = 'external'",
                "$spec.NpivNodeWorldWideName = [long[]]@(" + vm.getWwnn().value() + ")",
                "$vm[0].ExtensionData.ReconfigVM($spec)", "$vmName = '" + vm.getName() + "'",
                "Where-Object { $_.Name -ceq $vmName }");
        assertThat(script).doesNotContain("Get-VM -Name");
    }

    @Test
    void vSphereFollowsTheHostsHbaOrderWhateverTheFabricOrder() throws Exception {
        Host host = hosts.create(new HostForm(unique("esx"), "cl-test",
                Hypervisor.ESXI));
        fabricA = fixtures.fabric("A");
        fabricB = fixtures.fabric("B");
        // the first HBA (lowest PCI address) is cabled to B, and a second port on each fabric follows
        portB = fixtures.adapter(host, fabricB, 8, 2);
        portA = fixtures.adapter(host, fabricA, 8, 2);
        fixtures.adapter(host, fabricB, 8, 0);
        fixtures.adapter(host, fabricA, 8, 0);
        Vm created = vms.create(new VmForm(unique("order"), "", host.getId(), ""));
        vms.allocateIdentityAndAssignVfs(created.getId(), fixtures.pool(16).getId(), "alice");
        vm = vms.get(created.getId());
        JsonNode spec = json.readTree(config("vsphere").get("parts").get(1).get("content").asString());
        List<Long> ports = new ArrayList<>();
        spec.get("npivPortWorldWideName").forEach(port -> ports.add(port.asLong()));
        assertThat(ports).containsExactly(pair(fabricB).getActiveWwpn().value(), pair(fabricA).getActiveWwpn().value(),
                pair(fabricB).getStandbyWwpn().value(), pair(fabricA).getStandbyWwpn().value());
    }

    @Test
    void hyperVGetsOneAdapterPerFabricWithTheActiveWwpnAsSetAAndTheStandbyAsSetB() throws Exception {
        vm = vmOn(Hypervisor.HYPER_V, unique("hv"));
        String script = config("hyperv").get("parts").get(0).get("content").asString();
        List<String> adds = script.lines().map(String::strip).filter(line -> line.startsWith("Add-VMFibreChannelHba"))
                .toList();
        List<String> sets = script.lines().map(String::strip).filter(line -> line.startsWith("Set-VMFibreChannelHba"))
                .toList();
        assertThat(adds).hasSize(2);
        assertThat(sets).hasSize(2); // run again, the script sets the adapter it made instead of adding a second
        for (String add : adds) {
            assertThat(parameters(add).keySet()).isEqualTo(ADD_VMFIBRECHANNELHBA_PARAMETERS);
        }
        for (String set : sets) {
            assertThat(parameters(set).keySet()).isEqualTo(SET_VMFIBRECHANNELHBA_PARAMETERS);
        }
        List<String> sanNames = script.lines().filter(line -> line.startsWith("$san = ")).map(line ->
                singleQuoted(line.substring("$san = ".length()))).toList();
        assertThat(sanNames).containsExactly(fabricA.getName(), fabricB.getName());
        var a = parameters(adds.get(0));
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
    static Map<String, String> parameters(String line) {
        Map<String, String> found = new LinkedHashMap<>();
        Matcher m = Pattern.compile("-(\\w+) (?:'((?:[^']|'')*)'|(\\$\\w+(?:\\[0])?))").matcher(line);
        while (m.find()) {
            found.put(m.group(1), m.group(2) != null ? m.group(2).replace("''", "'") : m.group(3));
        }
        return found;
    }

    static boolean isPowerShellQuote(char c) {
        return c == '\'' || c == '\u2018' || c == '\u2019' || c == '\u201A' || c == '\u201B';
    }

    /**
     * Reads a single-quoted string as PowerShell's tokenizer does (any of the five single-quote characters opens and
     * closes it; two in a row are one quote) and fails unless it is the whole text: nothing may follow it.
     */
    static String singleQuoted(String text) {
        assertThat(isPowerShellQuote(text.charAt(0))).as("opens with a quote: %s", text).isTrue();
        StringBuilder value = new StringBuilder();
        int i = 1;
        while (true) {
            assertThat(i).as("the string is closed: %s", text).isLessThan(text.length());
            char c = text.charAt(i);
            if (isPowerShellQuote(c)) {
                if (i + 1 < text.length() && isPowerShellQuote(text.charAt(i + 1))) {
                    value.append(c);
                    i += 2;
                    continue;
                }
                assertThat(text.substring(i + 1)).as("nothing after the string: %s", text).isEmpty();
                return value.toString();
            }
            value.append(c);
            i++;
        }
    }

    static final List<String> HOSTILE_NAMES = List.of("web*", "web?01", "db[1-3]", "it\u2019s; Stop-Computer -Force; \u2018",
            "a\u201A\u201B'b", "$(Stop-Computer -Force)", "`$x `n", "--% -Force", "x; Remove-VM -Name * -Force #",
            "name with \"double\" quotes", "a---b--c", "<vm>&amp;", "\u00e9t\u00e9 \u65e5\u672c");

    @Test
    void everyScriptCarriesHostileNamesAsExactLiteralValuesAndMatchesNoWildcard() throws Exception {
        for (String hostile : HOSTILE_NAMES) {
            Vm esx = vmOn(Hypervisor.ESXI, hostile + " " + unique(""));
            Vm hv = vmOn(Hypervisor.HYPER_V, hostile + " " + unique(""));
            Vm kvm = vmOn(Hypervisor.KVM, hostile + " " + unique(""));
            for (Vm target : List.of(esx, hv)) {
                JsonNode config = config(target, target == esx ? "vsphere" : "hyperv");
                String script = config.get("parts").get(0).get("content").asString();
                List<String> nameLines = script.lines().filter(line -> line.startsWith("$vmName = ")).toList();
                assertThat(nameLines).hasSize(1);
                assertThat(singleQuoted(nameLines.get(0).substring("$vmName = ".length()))).isEqualTo(target.getName());
                // the name appears nowhere else, comments included
                assertThat(script.replace(nameLines.get(0), "")).doesNotContain(hostile);
                assertThat(script).doesNotContain("-Name $vmName").doesNotContain("-VMName");
                for (JsonNode part : config.get("parts")) {
                    assertThat(part.get("fileName").asString()).matches("vm-" + target.getId() + "-[a-z0-9.-]+");
                }
            }
            for (JsonNode part : config(kvm, "libvirt").get("parts")) {
                String xml = part.get("content").asString();
                DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
                assertThat(xml).doesNotContain(hostile);
                assertThat(part.get("fileName").asString()).matches("vm-" + kvm.getId() + "-[a-z0-9.-]+");
            }
        }
    }

    @Test
    void aNameWithALineBreakOrControlCharacterIsRefusedNotWrittenIntoAScript() throws Exception {
        for (String hostile : List.of("web\nRemove-VM -Name * -Force", "a\rStop-Computer -Force", "x\u2028y",
                "tab\there", "bell\u0007")) {
            Vm esx = vmOn(Hypervisor.ESXI, hostile + unique(""));
            mvc.perform(get("/api/vms/{id}/hypervisor-config", esx.getId()).param("kind", "vsphere")
                            .with(user("viewer").roles("VIEWER")))
                    .andExpect(status().isConflict())
                    .andExpect(jsonPath("$.detail").value(Matchers.containsString("control character")));
        }
    }

    @Test
    void onlyTheKindThatFitsTheHostsHypervisorIsOffered() throws Exception {
        mvc.perform(get("/api/vms/{id}/hypervisor-config", vm.getId()).param("kind", "hyperv")
                        .with(user("viewer").roles("VIEWER")))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail").value(Matchers.containsString("only its vSphere")));
        mvc.perform(get("/api/vms/{id}/hypervisor-config", vm.getId()).with(user("viewer").roles("VIEWER")))
                .andExpect(status().isOk()).andExpect(jsonPath("$.kind").value("VSPHERE"));
        mvc.perform(get("/vms/{id}/hypervisor", vm.getId()).with(user("viewer").roles("VIEWER")))
                .andExpect(status().isOk())
                .andExpect(MockMvcResultMatchers.content()
                        .string(Matchers.not(Matchers.containsString("tab-hyperv"))));
    }

    static final Path LIBVIRT_SCHEMAS = Path.of("/usr/share/libvirt/schemas");

    /** Runs a command (xmllint, virsh from Debian's libxml2-utils and libvirt-clients) and answers its output. */
    static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
        return output;
    }

    static Path file(String name, String content) throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "libvirt-check"));
        return Files.writeString(dir.resolve(name), content);
    }

    @Test
    void libvirtGetsAPersistentVhbaPoolPerFabricAndItsLunsAsDisksValidByLibvirtsSchemasAndVirsh() throws Exception {
        Host home = hosts.create(new HostForm(unique("kvm"), "cl-kvm-" + unique(""),
                Hypervisor.KVM));
        fabricA = fixtures.fabric("A");
        fabricB = fixtures.fabric("B");
        portA = fixtures.adapter(home, fabricA, 8, 2);
        portB = fixtures.adapter(home, fabricB, 8, 2);
        Host target = hosts.create(new HostForm(unique("kvm"), home.getCluster(),
                Hypervisor.KVM));
        Adapter targetA = fixtures.adapter(target, fabricA, 8, 2);
        Adapter targetB = fixtures.adapter(target, fabricB, 8, 2);
        Vm created = vms.create(new VmForm(unique("kvm-vm"), "", home.getId(), ""));
        vms.allocateIdentityAndAssignVfs(created.getId(), fixtures.pool(16).getId(), "alice");
        vm = vms.get(created.getId());

        JsonNode parts = config("libvirt").get("parts");
        XPath xpath = XPathFactory.newInstance().newXPath();
        Map<String, String> homeWwpnByPool = new TreeMap<>();
        Map<String, String> targetWwpnByPool = new TreeMap<>();
        String disks = null;
        for (JsonNode part : parts) {
            String xml = part.get("content").asString();
            Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new InputSource(new StringReader(xml)));
            String root = doc.getDocumentElement().getTagName();
            if (root.equals("pool")) {
                Path pool = file(part.get("fileName").asString(), xml);
                run("xmllint", "--noout", "--relaxng", LIBVIRT_SCHEMAS.resolve("storagepool.rng").toString(),
                        pool.toString());
                assertThat(run("virsh", "-c", "test:///default", "pool-define", pool.toString())).contains("defined");
                assertThat(xpath.evaluate("/pool/@type", doc)).isEqualTo("scsi");
                assertThat(xpath.evaluate("/pool/source/adapter/@type", doc)).isEqualTo("fc_host");
                assertThat(xpath.evaluate("/pool/source/adapter/@wwnn", doc)).isEqualTo(hex(vm.getWwnn()));
                String name = xpath.evaluate("/pool/name", doc);
                String wwpn = xpath.evaluate("/pool/source/adapter/@wwpn", doc);
                String parent = xpath.evaluate("/pool/source/adapter/@parent_wwpn", doc);
                if (part.get("title").asString().contains("migration target")) {
                    assertThat(parent).isIn(hex(targetA.getWwpn()), hex(targetB.getWwpn()));
                    targetWwpnByPool.put(name, wwpn);
                } else {
                    assertThat(parent).isIn(hex(portA.getWwpn()), hex(portB.getWwpn()));
                    assertThat(part.get("howToApply").asString()).startsWith("virsh pool-define ");
                    homeWwpnByPool.put(name, wwpn);
                }
            } else {
                assertThat(root).isEqualTo("devices");
                disks = xml;
            }
        }
        assertThat(homeWwpnByPool.values()).containsExactlyInAnyOrder(hex(pair(fabricA).getActiveWwpn()),
                hex(pair(fabricB).getActiveWwpn()));
        // the migration target defines the same pools with its own ports and the standby WWPNs
        assertThat(targetWwpnByPool.keySet()).isEqualTo(homeWwpnByPool.keySet());
        assertThat(targetWwpnByPool.values()).containsExactlyInAnyOrder(hex(pair(fabricA).getStandbyWwpn()),
                hex(pair(fabricB).getStandbyWwpn()));

        // the guest's disks come from those pools: valid in a domain by libvirt's schema, and defined by virsh
        assertThat(disks).isNotNull();
        String devices = disks.substring(disks.indexOf("<devices>"));
        String domain = "<domain type='test'><name>vfz-check</name><memory unit='MiB'>64</memory>"
                + "<os><type>hvm</type></os>" + devices + "</domain>";
        Path domainFile = file("domain-" + vm.getId() + ".xml", domain);
        run("xmllint", "--noout", "--relaxng", LIBVIRT_SCHEMAS.resolve("domain.rng").toString(), domainFile.toString());
        assertThat(run("virsh", "-c", "test:///default", "define", domainFile.toString())).contains("defined");
        Document devicesDoc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new InputSource(new StringReader(disks)));
        assertThat(Integer.parseInt(xpath.evaluate("count(/devices/disk[@type='volume'][@device='lun'])", devicesDoc)))
                .isEqualTo(2);
        assertThat(xpath.evaluate("/devices/disk[1]/source/@pool", devicesDoc)).isIn(homeWwpnByPool.keySet());
    }

    @Test
    void aVmWithoutIdentityOrAnUnknownKindIsRefusedSayingWhy() throws Exception {
        Vm bare = fixtures.vm(fixtures.host());
        mvc.perform(get("/api/vms/{id}/hypervisor-config", bare.getId()).param("kind", "vsphere")
                        .with(user("viewer").roles("VIEWER")))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail").value(Matchers.containsString("allocate it first")));
        mvc.perform(get("/api/vms/{id}/hypervisor-config", vm.getId()).param("kind", "xen")
                        .with(user("viewer").roles("VIEWER")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("kind"));
        Vm hv = vmOn(Hypervisor.HYPER_V, unique("hv"));
        mvc.perform(get("/vms/{id}/hypervisor", hv.getId()).with(user("viewer").roles("VIEWER")))
                .andExpect(status().isOk())
                .andExpect(MockMvcResultMatchers.content()
                        .string(Matchers.containsString("Add-VMFibreChannelHba")));
    }
}
