package org.vfzone.hypervisor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.vfzone.inventory.Adapter;
import org.vfzone.inventory.HostService;
import org.vfzone.inventory.VirtualFunction;
import org.vfzone.inventory.Vm;
import org.vfzone.inventory.VmPaths;
import org.vfzone.inventory.VmService;
import org.vfzone.system.RuleViolation;
import org.vfzone.wwn.Wwn;

/**
 * The exact configuration that makes a VM log in with its vfzone identity, written for each hypervisor's documented
 * interface (sources in docs/hypervisors.md). vfzone does not reach into the hypervisor: the admin (or their
 * automation) applies what is shown here, and vfzone's zoning already expects these WWPNs.
 */
@Service
public class HypervisorConfigs {

    /** A file or script to apply, and the command that applies it. */
    public record Part(String title, String fileName, String language, String content, String howToApply) {
    }

    public record Config(HypervisorKind kind, long vmId, String vmName, List<String> notes, List<Part> parts) {
    }

    /** What a configuration is made from: the VM's WWNN, its pair per fabric, and its host's ports there. */
    record FabricIdentity(String fabric, Wwn active, Wwn standby, Adapter hostPort, List<VirtualFunction> vfs) {
    }

    private final VmService vms;
    private final HostService hosts;

    HypervisorConfigs(VmService vms, HostService hosts) {
        this.vms = vms;
        this.hosts = hosts;
    }

    @Transactional(readOnly = true)
    public Config of(long vmId, HypervisorKind kind) {
        Vm vm = vms.get(vmId);
        VmPaths paths = vms.paths(vmId);
        List<Adapter> hostPorts = hosts.adaptersOf(vm.getHost().getId());
        List<FabricIdentity> fabrics = new ArrayList<>();
        for (VmPaths.FabricPath path : paths.fabrics()) {
            if (path.identity() == null) {
                continue;
            }
            Adapter port = path.vfs().stream().map(VirtualFunction::getAdapter).findFirst()
                    .orElseGet(() -> hostPorts.stream().filter(a -> a.getFabric() != null
                                    && a.getFabric().getId().equals(path.fabric().getId()))
                            .min(Comparator.comparing(Adapter::getPciAddress)).orElse(null));
            fabrics.add(new FabricIdentity(path.fabric().getName(), path.identity().getActiveWwpn(),
                    path.identity().getStandbyWwpn(), port, path.vfs()));
        }
        if (vm.getWwnn() == null || fabrics.isEmpty()) {
            throw RuleViolation.conflict(null, "VM " + vm.getName() + " has no vfzone identity yet (a WWNN and a WWPN "
                    + "pair per fabric): allocate it first");
        }
        return switch (kind) {
            case VSPHERE -> vsphere(vm, fabrics);
            case HYPERV -> hyperV(vm, fabrics);
            case LIBVIRT -> libvirt(vm, fabrics);
        };
    }

    /** 16 hex digits, no separators: how Hyper-V and libvirt write a WWN. */
    static String bareHex(Wwn wwn, boolean upperCase) {
        String hex = String.format("%016x", wwn.value());
        return upperCase ? hex.toUpperCase(Locale.ROOT) : hex;
    }

    private static String powerShellString(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    private Config vsphere(Vm vm, List<FabricIdentity> fabrics) {
        List<String> ports = new ArrayList<>();
        List<String> portNotes = new ArrayList<>();
        for (FabricIdentity fabric : fabrics) {
            ports.add(Long.toString(fabric.active().value()));
            portNotes.add(fabric.fabric() + " active " + fabric.active());
            ports.add(Long.toString(fabric.standby().value()));
            portNotes.add(fabric.fabric() + " standby " + fabric.standby());
        }
        String json = "{\n"
                + "  \"npivWorldWideNameOp\": \"set\",\n"
                + "  \"npivWorldWideNameType\": \"external\",\n"
                + "  \"npivNodeWorldWideName\": [" + vm.getWwnn().value() + "],\n"
                + "  \"npivPortWorldWideName\": [" + String.join(", ", ports) + "]\n"
                + "}\n";
        StringBuilder script = new StringBuilder()
                .append("# VM ").append(vm.getName()).append(": its NPIV WWNs from vfzone (vSphere API ")
                .append("VirtualMachineConfigSpec). Power the VM off first.\n")
                .append("# node ").append(vm.getWwnn()).append("; ports ").append(String.join(", ", portNotes))
                .append("\n")
                .append("$vm = Get-VM -Name ").append(powerShellString(vm.getName())).append("\n")
                .append("$spec = New-Object VMware.Vim.VirtualMachineConfigSpec\n")
                .append("$spec.NpivWorldWideNameOp = 'set'\n")
                .append("$spec.NpivWorldWideNameType = 'external'\n")
                .append("$spec.NpivNodeWorldWideName = [long[]]@(").append(vm.getWwnn().value()).append(")\n")
                .append("$spec.NpivPortWorldWideName = [long[]]@(").append(String.join(", ", ports)).append(")\n")
                .append("$vm.ExtensionData.ReconfigVM($spec)\n");
        return new Config(HypervisorKind.VSPHERE, vm.getId(), vm.getName(), List.of(
                "The VM must be powered off to change its WWNs; NPIV applies to its RDM disks.",
                "vSphere takes WWNs as 64-bit integers: the node WWN " + vm.getWwnn() + " is " + vm.getWwnn().value()
                        + ".",
                "Port WWNs are listed per fabric, active then standby, so a vMotion keeps a zoned WWPN."),
                List.of(new Part("PowerCLI", vm.getName() + "-npiv.ps1", "powershell", script.toString(),
                                "Run in a PowerCLI session connected to vCenter (Connect-VIServer)."),
                        new Part("VirtualMachineConfigSpec (JSON)", vm.getName() + "-npiv.json", "json", json,
                                "The NPIV fields of a ReconfigVM_Task spec, for the vSphere API or its automation.")));
    }

    private Config hyperV(Vm vm, List<FabricIdentity> fabrics) {
        String node = bareHex(vm.getWwnn(), true);
        StringBuilder script = new StringBuilder()
                .append("# VM ").append(vm.getName()).append(": one virtual Fibre Channel adapter per fabric with its ")
                .append("vfzone WWNs.\n")
                .append("# Set A is the active WWPN, set B the standby: Hyper-V alternates between them on live ")
                .append("migration, and vfzone zones both.\n");
        StringBuilder sans = new StringBuilder();
        for (FabricIdentity fabric : fabrics) {
            if (fabric.hostPort() != null) {
                sans.append("#   New-VMSan -Name ").append(powerShellString(fabric.fabric()))
                        .append(" -WorldWideNodeName ").append(powerShellString(bareHex(fabric.hostPort().getWwnn(), true)))
                        .append(" -WorldWidePortName ").append(powerShellString(bareHex(fabric.hostPort().getWwpn(), true)))
                        .append("\n");
            }
        }
        if (!sans.isEmpty()) {
            script.append("# Each host needs a virtual SAN per fabric, named after it, once; on host ")
                    .append(vm.getHost().getName()).append(":\n").append(sans);
        }
        for (FabricIdentity fabric : fabrics) {
            script.append("Add-VMFibreChannelHba -VMName ").append(powerShellString(vm.getName()))
                    .append(" -SanName ").append(powerShellString(fabric.fabric()))
                    .append(" -WorldWideNodeNameSetA ").append(powerShellString(node))
                    .append(" -WorldWidePortNameSetA ").append(powerShellString(bareHex(fabric.active(), true)))
                    .append(" -WorldWideNodeNameSetB ").append(powerShellString(node))
                    .append(" -WorldWidePortNameSetB ").append(powerShellString(bareHex(fabric.standby(), true)))
                    .append("\n");
        }
        return new Config(HypervisorKind.HYPERV, vm.getId(), vm.getName(), List.of(
                "Hyper-V writes WWNs as 16 hexadecimal digits without separators.",
                "Every host the VM may live-migrate to needs the same virtual SAN names, cabled to the same fabrics."),
                List.of(new Part("PowerShell (Hyper-V module)", vm.getName() + "-vfc.ps1", "powershell",
                        script.toString(), "Run on the Hyper-V host (or with -ComputerName) as an administrator; "
                        + "the VM must be off to add adapters.")));
    }

    private Config libvirt(Vm vm, List<FabricIdentity> fabrics) {
        List<Part> parts = new ArrayList<>();
        List<String> notes = new ArrayList<>(List.of(
                "libvirt writes WWNs as 16 hexadecimal digits without separators.",
                "The vHBA is created on the host port (the parent) cabled to the fabric; on a migration target, create "
                        + "it with the standby WWPN shown in each file's comment."));
        for (FabricIdentity fabric : fabrics) {
            String slug = fabric.fabric().replaceAll("[^A-Za-z0-9._-]", "_");
            StringBuilder vhba = new StringBuilder("<!-- VM ").append(xml(vm.getName())).append(" on fabric ")
                    .append(xml(fabric.fabric())).append(": active WWPN ").append(fabric.active())
                    .append("; standby WWPN for a migration target: ").append(bareHex(fabric.standby(), false))
                    .append(" -->\n<device>\n");
            if (fabric.hostPort() != null) {
                vhba.append("  <parent wwnn='").append(bareHex(fabric.hostPort().getWwnn(), false))
                        .append("' wwpn='").append(bareHex(fabric.hostPort().getWwpn(), false)).append("'/>\n");
            } else {
                notes.add("Host " + vm.getHost().getName() + " has no port on " + fabric.fabric()
                        + " in vfzone: libvirt picks the first vport-capable host port for that vHBA.");
            }
            vhba.append("  <capability type='scsi_host'>\n")
                    .append("    <capability type='fc_host'>\n")
                    .append("      <wwnn>").append(bareHex(vm.getWwnn(), false)).append("</wwnn>\n")
                    .append("      <wwpn>").append(bareHex(fabric.active(), false)).append("</wwpn>\n")
                    .append("    </capability>\n")
                    .append("  </capability>\n")
                    .append("</device>\n");
            parts.add(new Part("NPIV vHBA on " + fabric.fabric(), "vhba-" + slug + ".xml", "xml", vhba.toString(),
                    "virsh nodedev-create vhba-" + slug + ".xml"));
            for (VirtualFunction vf : fabric.vfs()) {
                String[] address = pci(vf.getPciAddress());
                if (address == null) {
                    notes.add("VF " + vf.getVfIndex() + " of " + vf.getAdapter().getLabel()
                            + " has no PCI address in vfzone: enter it to get its hostdev XML.");
                    continue;
                }
                String hostdev = "<!-- VM " + xml(vm.getName()) + ": SR-IOV VF " + vf.getVfIndex() + " of "
                        + xml(vf.getAdapter().getPciAddress()) + " on fabric " + xml(fabric.fabric()) + " -->\n"
                        + "<hostdev mode='subsystem' type='pci' managed='yes'>\n"
                        + "  <source>\n"
                        + "    <address domain='0x" + address[0] + "' bus='0x" + address[1] + "' slot='0x" + address[2]
                        + "' function='0x" + address[3] + "'/>\n"
                        + "  </source>\n"
                        + "</hostdev>\n";
                String file = "vf-" + slug + "-" + vf.getVfIndex() + ".xml";
                parts.add(new Part("SR-IOV VF " + vf.getPciAddress() + " on " + fabric.fabric(), file, "xml", hostdev,
                        "virsh attach-device " + shellWord(vm.getName()) + " " + file + " --config"));
            }
        }
        return new Config(HypervisorKind.LIBVIRT, vm.getId(), vm.getName(), notes, parts);
    }

    /** {@code 0000:3b:00.1} → domain, bus, slot, function in hex; null when it is not a PCI address. */
    static String[] pci(String address) {
        if (address == null) {
            return null;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("^([0-9a-fA-F]{4}):([0-9a-fA-F]{2}):([0-1][0-9a-fA-F])\\.([0-7])$").matcher(address.strip());
        return m.matches() ? new String[] {m.group(1).toLowerCase(Locale.ROOT), m.group(2).toLowerCase(Locale.ROOT),
                m.group(3).toLowerCase(Locale.ROOT), m.group(4)} : null;
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("--", "- -");
    }

    private static String shellWord(String text) {
        return text.matches("[A-Za-z0-9._-]+") ? text : "'" + text.replace("'", "'\\''") + "'";
    }
}
