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

    /** The one configuration kind that applies to a host of this hypervisor. */
    public static HypervisorKind kindFor(org.vfzone.inventory.Hypervisor hypervisor) {
        return switch (hypervisor) {
            case ESXI -> HypervisorKind.VSPHERE;
            case HYPER_V -> HypervisorKind.HYPERV;
            case KVM -> HypervisorKind.LIBVIRT;
        };
    }

    /** The configuration for the VM's own host's hypervisor. */
    @Transactional(readOnly = true)
    public Config of(long vmId) {
        return of(vmId, kindFor(vms.get(vmId).getHost().getHypervisor()));
    }

    @Transactional(readOnly = true)
    public Config of(long vmId, HypervisorKind kind) {
        Vm vm = vms.get(vmId);
        HypervisorKind fits = kindFor(vm.getHost().getHypervisor());
        if (kind != fits) {
            throw RuleViolation.conflict("kind", "VM " + vm.getName() + " runs on " + vm.getHost().getHypervisor()
                    .label() + " host " + vm.getHost().getName() + ": only its " + fits.label
                    + " configuration applies");
        }
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

    /** {@code vm-42-npiv.ps1}: a file name any system takes, whatever the VM is called. */
    static String fileName(Vm vm, String suffix) {
        return "vm-" + vm.getId() + "-" + suffix;
    }

    /**
     * Finds the one VM of exactly this name (no wildcard: {@code -Name 'web*'} would match many) and stops the script
     * unless there is exactly one.
     */
    private static String exactlyOneVm(Vm vm) {
        return "$ErrorActionPreference = 'Stop'\n"
                + "$vmName = " + PowerShell.literal(vm.getName(), "VM name") + "\n"
                + "# an exact, case-sensitive match: a -Name parameter would also match wildcards\n"
                + "$vm = @(Get-VM | Where-Object { $_.Name -ceq $vmName })\n"
                + "if ($vm.Count -ne 1) { throw \"Expected exactly one VM named '$vmName', found $($vm.Count)\" }\n";
    }

    private Config vsphere(Vm vm, List<FabricIdentity> fabrics) {
        List<String> ports = new ArrayList<>();
        List<String> portNotes = new ArrayList<>();
        for (FabricIdentity fabric : fabrics) {
            ports.add(Long.toString(fabric.active().value()));
            portNotes.add("active " + fabric.active());
            ports.add(Long.toString(fabric.standby().value()));
            portNotes.add("standby " + fabric.standby());
        }
        String json = "{\n"
                + "  \"npivWorldWideNameOp\": \"set\",\n"
                + "  \"npivWorldWideNameType\": \"external\",\n"
                + "  \"npivNodeWorldWideName\": [" + vm.getWwnn().value() + "],\n"
                + "  \"npivPortWorldWideName\": [" + String.join(", ", ports) + "]\n"
                + "}\n";
        String script = "# vfzone: the VM's NPIV WWNs (vSphere API VirtualMachineConfigSpec). Power the VM off first.\n"
                + "# node " + vm.getWwnn() + "; ports " + String.join(", ", portNotes) + "\n"
                + exactlyOneVm(vm)
                + "$spec = New-Object VMware.Vim.VirtualMachineConfigSpec\n"
                + "$spec.NpivWorldWideNameOp = 'set'\n"
                + "$spec.NpivWorldWideNameType = 'external'\n"
                + "$spec.NpivNodeWorldWideName = [long[]]@(" + vm.getWwnn().value() + ")\n"
                + "$spec.NpivPortWorldWideName = [long[]]@(" + String.join(", ", ports) + ")\n"
                + "$vm[0].ExtensionData.ReconfigVM($spec)\n";
        return new Config(HypervisorKind.VSPHERE, vm.getId(), vm.getName(), List.of(
                "The VM must be powered off to change its WWNs; NPIV applies to its RDM disks.",
                "vSphere takes WWNs as 64-bit integers: the node WWN " + vm.getWwnn() + " is " + vm.getWwnn().value()
                        + ".",
                "Port WWNs are listed per fabric, active then standby, so a vMotion keeps a zoned WWPN.",
                "Running the script again sets the same WWNs again; it changes nothing else."),
                List.of(new Part("PowerCLI", fileName(vm, "npiv.ps1"), "powershell", script,
                                "Run in a PowerCLI session connected to vCenter (Connect-VIServer)."),
                        new Part("VirtualMachineConfigSpec (JSON)", fileName(vm, "npiv.json"), "json", json,
                                "The NPIV fields of a ReconfigVM_Task spec, for the vSphere API or its automation.")));
    }

    private Config hyperV(Vm vm, List<FabricIdentity> fabrics) {
        String node = PowerShell.literal(bareHex(vm.getWwnn(), true), "WWNN");
        StringBuilder script = new StringBuilder()
                .append("# vfzone: one virtual Fibre Channel adapter per fabric with the VM's WWNs.\n")
                .append("# Set A is the active WWPN, set B the standby: Hyper-V alternates between them on live ")
                .append("migration, and vfzone zones both.\n")
                .append("# Running it again adds no second adapter: an adapter on the same virtual SAN is set instead.\n");
        StringBuilder sans = new StringBuilder();
        for (FabricIdentity fabric : fabrics) {
            if (fabric.hostPort() != null) {
                sans.append("#   New-VMSan -Name ").append(PowerShell.literal(fabric.fabric(), "Fabric name"))
                        .append(" -WorldWideNodeName ").append(PowerShell.literal(bareHex(fabric.hostPort().getWwnn(), true), "WWNN"))
                        .append(" -WorldWidePortName ").append(PowerShell.literal(bareHex(fabric.hostPort().getWwpn(), true), "WWPN"))
                        .append("\n");
            }
        }
        if (!sans.isEmpty()) {
            script.append("# Each host needs a virtual SAN per fabric, named after it, once; on this VM's host:\n")
                    .append(sans);
        }
        script.append(exactlyOneVm(vm));
        for (FabricIdentity fabric : fabrics) {
            String wwns = " -WorldWideNodeNameSetA " + node
                    + " -WorldWidePortNameSetA " + PowerShell.literal(bareHex(fabric.active(), true), "WWPN")
                    + " -WorldWideNodeNameSetB " + node
                    + " -WorldWidePortNameSetB " + PowerShell.literal(bareHex(fabric.standby(), true), "WWPN");
            script.append("$san = ").append(PowerShell.literal(fabric.fabric(), "Fabric name")).append("\n")
                    .append("$hba = @(Get-VMFibreChannelHba -VM $vm[0] | Where-Object { $_.SanName -ceq $san })\n")
                    .append("if ($hba.Count -eq 0) {\n")
                    .append("  Add-VMFibreChannelHba -VM $vm[0] -SanName $san").append(wwns).append("\n")
                    .append("} else {\n")
                    .append("  Set-VMFibreChannelHba -VMFibreChannelHba $hba[0]").append(wwns).append("\n")
                    .append("}\n");
        }
        return new Config(HypervisorKind.HYPERV, vm.getId(), vm.getName(), List.of(
                "Hyper-V writes WWNs as 16 hexadecimal digits without separators.",
                "Every host the VM may live-migrate to needs the same virtual SAN names, cabled to the same fabrics."),
                List.of(new Part("PowerShell (Hyper-V module)", fileName(vm, "vfc.ps1"), "powershell",
                        script.toString(), "Run on the Hyper-V host (or with -ComputerName) as an administrator; "
                        + "the VM must be off to add adapters.")));
    }

    private Config libvirt(Vm vm, List<FabricIdentity> fabrics) {
        List<Part> parts = new ArrayList<>();
        List<String> notes = new ArrayList<>(List.of(
                "libvirt writes WWNs as 16 hexadecimal digits without separators.",
                "The vHBA is created on the host port (the parent) cabled to the fabric; on a migration target, create "
                        + "it with the standby WWPN shown in each file's comment."));
        int fabricNumber = 0;
        for (FabricIdentity fabric : fabrics) {
            fabricNumber++;
            XmlDocument vhba = new XmlDocument()
                    .comment("vfzone: NPIV vHBA; active WWPN " + bareHex(fabric.active(), false)
                            + "; standby WWPN for a migration target " + bareHex(fabric.standby(), false))
                    .start("device");
            if (fabric.hostPort() != null) {
                vhba.empty("parent", "wwnn", bareHex(fabric.hostPort().getWwnn(), false),
                        "wwpn", bareHex(fabric.hostPort().getWwpn(), false));
            } else {
                notes.add("Host " + vm.getHost().getName() + " has no port on " + fabric.fabric()
                        + " in vfzone: libvirt picks the first vport-capable host port for that vHBA.");
            }
            vhba.start("capability", "type", "scsi_host")
                    .start("capability", "type", "fc_host")
                    .text("wwnn", bareHex(vm.getWwnn(), false))
                    .text("wwpn", bareHex(fabric.active(), false))
                    .end().end().end();
            String vhbaFile = fileName(vm, "vhba-" + fabricNumber + ".xml");
            parts.add(new Part("NPIV vHBA on " + fabric.fabric(), vhbaFile, "xml", vhba.toString(),
                    "virsh nodedev-create " + vhbaFile));
            for (VirtualFunction vf : fabric.vfs()) {
                String[] address = pci(vf.getPciAddress());
                if (address == null) {
                    notes.add("VF " + vf.getVfIndex() + " of " + vf.getAdapter().getLabel()
                            + " has no PCI address in vfzone: enter it to get its hostdev XML.");
                    continue;
                }
                String hostdev = new XmlDocument()
                        .comment("vfzone: SR-IOV VF " + vf.getVfIndex() + " at " + String.join(":", address[0],
                                address[1], address[2]) + "." + address[3])
                        .start("hostdev", "mode", "subsystem", "type", "pci", "managed", "yes")
                        .start("source")
                        .empty("address", "domain", "0x" + address[0], "bus", "0x" + address[1],
                                "slot", "0x" + address[2], "function", "0x" + address[3])
                        .end().end().toString();
                String file = fileName(vm, "vf-" + fabricNumber + "-" + vf.getVfIndex() + ".xml");
                parts.add(new Part("SR-IOV VF " + vf.getPciAddress() + " on " + fabric.fabric(), file, "xml", hostdev,
                        "virsh attach-device --domain " + shellWord(vm.getName()) + " --file " + file + " --config"));
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

    /** One POSIX shell word: single-quoted, a quote written as {@code '\''}; control characters refused. */
    static String shellWord(String text) {
        if (text.chars().anyMatch(PowerShell::isRefused)) {
            throw RuleViolation.conflict(null, "VM name contains a control character; rename it first");
        }
        return text.matches("[A-Za-z0-9._-]+") && !text.startsWith("-") ? text
                : "'" + text.replace("'", "'\\''") + "'";
    }
}
