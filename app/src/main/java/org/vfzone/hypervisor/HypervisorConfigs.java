package org.vfzone.hypervisor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.vfzone.inventory.Adapter;
import org.vfzone.inventory.Host;
import org.vfzone.inventory.HostService;
import org.vfzone.inventory.Hypervisor;
import org.vfzone.inventory.VirtualFunction;
import org.vfzone.inventory.Vm;
import org.vfzone.inventory.VmPaths;
import org.vfzone.inventory.VmService;
import org.vfzone.inventory.VsphereNpiv;
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
    record FabricIdentity(long fabricId, String fabric, Wwn active, Wwn standby, Adapter hostPort,
                          List<VirtualFunction> vfs) {
    }

    private final VmService vms;
    private final HostService hosts;

    HypervisorConfigs(VmService vms, HostService hosts) {
        this.vms = vms;
        this.hosts = hosts;
    }

    /** The one configuration kind that applies to a host of this hypervisor. */
    public static HypervisorKind kindFor(Hypervisor hypervisor) {
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
            fabrics.add(new FabricIdentity(path.fabric().getId(), path.fabric().getName(), path.identity().getActiveWwpn(),
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
        // ESXi opens one virtual port per physical HBA, taking the port WWNs in sequence: order them by HBA
        VsphereNpiv.Order order = VsphereNpiv.order(VsphereNpiv.hbaOrder(hosts.adaptersOf(vm.getHost().getId())),
                fabrics.stream().map(f -> new VsphereNpiv.FabricWwpns(f.fabricId(), f.fabric(), f.active(),
                        f.standby())).toList());
        List<String> ports = order.wwpns().stream().map(w -> Long.toString(w.value())).toList();
        List<String> notes = new ArrayList<>(List.of(
                "The VM must be powered off to change its WWNs; NPIV applies to its RDM disks.",
                "vSphere takes WWNs as 64-bit integers: the node WWN " + vm.getWwnn() + " is " + vm.getWwnn().value()
                        + ".",
                "ESXi uses the port WWNs in sequence, one per physical HBA (at most " + VsphereNpiv.MAX_VPORTS
                        + "), and a vMotion opens the same ones on the destination: vfzone lists them in the order of "
                        + "this host's HBAs, so each logs in on the fabric it is zoned on."));
        StringBuilder perHba = new StringBuilder();
        for (VsphereNpiv.Position position : order.positions()) {
            boolean active = position.wwpn().equals(position.fabric().active());
            if (position.hba() != null) {
                notes.add("HBA " + (position.index() + 1) + " (" + position.hba().getLabel() + ", "
                        + (position.hba().getFabric() == null ? "no fabric" : position.hba().getFabric().getName())
                        + ") logs in with " + position.wwpn() + " (" + (active ? "active" : "standby") + " on "
                        + position.fabric().fabricName() + ")");
                perHba.append("# HBA ").append(position.index() + 1).append(" logs in with ").append(position.wwpn())
                        .append('\n');
            } else {
                notes.add("Position " + (position.index() + 1) + ": " + position.wwpn() + " (" + (active ? "active"
                        : "standby") + " on " + position.fabric().fabricName() + ") is used only on a host with more "
                        + "HBAs");
            }
        }
        order.problems().forEach(problem -> notes.add("Check: " + problem));
        notes.add("Running the script again sets the same WWNs again; it changes nothing else.");
        String json = "{\n"
                + "  \"npivWorldWideNameOp\": \"set\",\n"
                + "  \"npivWorldWideNameType\": \"external\",\n"
                + "  \"npivNodeWorldWideName\": [" + vm.getWwnn().value() + "],\n"
                + "  \"npivPortWorldWideName\": [" + String.join(", ", ports) + "]\n"
                + "}\n";
        String script = "# vfzone: the VM's NPIV WWNs (vSphere API VirtualMachineConfigSpec). Power the VM off first.\n"
                + "# node " + vm.getWwnn() + "; port WWNs in the order of the host's HBAs:\n" + perHba
                + exactlyOneVm(vm)
                + "$spec = New-Object VMware.Vim.VirtualMachineConfigSpec\n"
                + "$spec.NpivWorldWideNameOp = 'set'\n"
                + "$spec.NpivWorldWideNameType = 'external'\n"
                + "$spec.NpivNodeWorldWideName = [long[]]@(" + vm.getWwnn().value() + ")\n"
                + "$spec.NpivPortWorldWideName = [long[]]@(" + String.join(", ", ports) + ")\n"
                + "$vm[0].ExtensionData.ReconfigVM($spec)\n";
        return new Config(HypervisorKind.VSPHERE, vm.getId(), vm.getName(), notes,
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

    /**
     * libvirt's persistent NPIV model: per fabric, a {@code scsi} storage pool whose {@code fc_host} adapter creates
     * the VM's vHBA (its WWNN and WWPN) on the host port cabled to that fabric, and the guest's LUNs as disks from
     * those pools. Hosts the VM may live-migrate to define a pool of the same name with their own port and the
     * standby WWPN, so source and destination are logged in at once without sharing a WWPN.
     */
    private Config libvirt(Vm vm, List<FabricIdentity> fabrics) {
        List<Part> parts = new ArrayList<>();
        List<String> notes = new ArrayList<>(List.of(
                "libvirt writes WWNs as 16 hexadecimal digits without separators.",
                "Each fabric gets a storage pool of type scsi whose adapter creates the VM's vHBA (libvirt's NPIV "
                        + "model): it is persistent, starts with the host, and its LUNs become the guest's disks.",
                "On a host the VM live-migrates to, define the pool of the same name with that host's port and the "
                        + "standby WWPN (the migration-target files below), and start it before the migration: "
                        + "source and destination are then logged in with different WWPNs, both zoned.",
                "The guest sees each LUN once per fabric: run multipath in the guest. List a pool's LUNs with "
                        + "virsh vol-list; each is a volume named unit:bus:target:lun.",
                "vfzone does not emit a VF passthrough: libvirt cannot set an SR-IOV VF's port name, so a passed-through "
                        + "VF would log in with a WWPN vfzone has not zoned."));
        List<Host> peers = hosts.all().stream().filter(h -> !h.getId().equals(vm.getHost().getId())
                && h.getHypervisor() == Hypervisor.KVM && vm.getHost().getCluster() != null
                && !vm.getHost().getCluster().isBlank() && vm.getHost().getCluster().equalsIgnoreCase(h.getCluster()))
                .sorted(Comparator.comparing(Host::getName)).toList();
        XmlDocument disks = new XmlDocument()
                .comment("vfzone: the first LUN of each fabric's pool; add one disk per further LUN")
                .start("devices")
                .empty("controller", "type", "scsi", "index", "0", "model", "virtio-scsi");
        int fabricNumber = 0;
        for (FabricIdentity fabric : fabrics) {
            fabricNumber++;
            String pool = "vfz-vm" + vm.getId() + "-f" + fabricNumber;
            Adapter home = fabric.hostPort();
            if (home == null) {
                notes.add("Host " + vm.getHost().getName() + " has no port on " + fabric.fabric()
                        + " in vfzone: libvirt picks the first vport-capable host port for that pool.");
            }
            String file = fileName(vm, "pool-" + fabricNumber + ".xml");
            parts.add(new Part("Storage pool on " + fabric.fabric() + " (this host)", file, "xml",
                    poolXml(pool, home, vm.getWwnn(), fabric.active(), "active"),
                    "virsh pool-define " + file + " && virsh pool-autostart " + pool + " && virsh pool-start " + pool));
            for (Host peer : peers) {
                Adapter port = hosts.adaptersOf(peer.getId()).stream().filter(a -> a.getFabric() != null
                        && a.getFabric().getId() == fabric.fabricId()).min(Comparator.comparing(Adapter::getPciAddress,
                        Comparator.nullsLast(Comparator.naturalOrder()))).orElse(null);
                if (port == null) {
                    continue;
                }
                String peerFile = fileName(vm, "pool-" + fabricNumber + "-host" + peer.getId() + ".xml");
                parts.add(new Part("Storage pool on " + fabric.fabric() + " for migration target " + peer.getName(),
                        peerFile, "xml", poolXml(pool, port, vm.getWwnn(), fabric.standby(), "standby"),
                        "On " + peer.getName() + ": virsh pool-define " + peerFile + " && virsh pool-start " + pool
                                + " before the migration"));
            }
            disks.start("disk", "type", "volume", "device", "lun")
                    .empty("driver", "name", "qemu", "type", "raw")
                    .empty("source", "pool", pool, "volume", "unit:0:0:0")
                    .empty("target", "dev", "sd" + (char) ('a' + fabricNumber - 1), "bus", "scsi")
                    .end();
        }
        disks.end();
        parts.add(new Part("Guest disks (first LUN per fabric)", fileName(vm, "disks.xml"), "xml", disks.toString(),
                "Add the controller and each disk to the domain (virsh edit " + shellWord(vm.getName())
                        + "), or each element with virsh attach-device --domain " + shellWord(vm.getName())
                        + " --file <element file> --config"));
        return new Config(HypervisorKind.LIBVIRT, vm.getId(), vm.getName(), notes, parts);
    }

    /** A {@code scsi} pool whose adapter creates the vHBA on {@code parent} (null: the first capable port). */
    private static String poolXml(String name, Adapter parent, Wwn wwnn, Wwn wwpn, String which) {
        List<String> adapter = new ArrayList<>(List.of("type", "fc_host"));
        if (parent != null) {
            adapter.addAll(List.of("parent_wwnn", bareHex(parent.getWwnn(), false), "parent_wwpn",
                    bareHex(parent.getWwpn(), false)));
        }
        adapter.addAll(List.of("wwnn", bareHex(wwnn, false), "wwpn", bareHex(wwpn, false)));
        return new XmlDocument()
                .comment("vfzone: NPIV vHBA with the " + which + " WWPN " + bareHex(wwpn, false))
                .start("pool", "type", "scsi")
                .text("name", name)
                .start("source")
                .empty("adapter", adapter.toArray(String[]::new))
                .end()
                .start("target")
                .text("path", "/dev/disk/by-path")
                .end()
                .end().toString();
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
