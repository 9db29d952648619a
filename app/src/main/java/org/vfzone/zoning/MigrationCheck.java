package org.vfzone.zoning;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.vfzone.fabric.Zone;
import org.vfzone.fabric.ZoningDatabase;
import org.vfzone.inventory.Adapter;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.Host;
import org.vfzone.inventory.HostService;
import org.vfzone.inventory.Hypervisor;
import org.vfzone.inventory.Vm;
import org.vfzone.inventory.VmPaths;
import org.vfzone.inventory.VmService;
import org.vfzone.inventory.VsphereNpiv;
import org.vfzone.logins.LoginQueries;
import org.vfzone.system.NotFoundException;
import org.vfzone.system.RuleViolation;
import org.vfzone.wwn.Wwn;

/**
 * Can a VM move to another host with its storage intact? Per fabric it has a WWPN pair on: the destination has a
 * port cabled there, a free VF (when the VM uses VFs) on an adapter with an NPIV login left, the standby WWPN is
 * zoned to every target the active one reaches in the effective configuration (live migration logs in with it), and
 * with RDM-style zoning the destination's physical port is zoned to them too. Each check says how to fix it.
 */
@Service
public class MigrationCheck {

    public enum Kind {
        PORT_ON_FABRIC, FREE_VF, NPIV_LOGIN_LEFT, STANDBY_ZONED, STANDBY_LOGGED_IN, HOST_PORT_ZONED, FABRIC_READABLE,
        /** vSphere: the destination's i-th HBA is on the fabric of the i-th WWPN, which vMotion keeps. */
        HBA_ORDER
    }

    public record Check(Kind check, String fabric, boolean passed, String detail, String fix) {
    }

    public record Result(long vmId, String vmName, long fromHostId, String fromHost, long toHostId, String toHost,
                         boolean ready, List<Check> checks) {
    }

    private final VmService vms;
    private final HostService hosts;
    private final LiveZoning liveZoning;
    private final LoginQueries logins;

    MigrationCheck(VmService vms, HostService hosts, LiveZoning liveZoning, LoginQueries logins) {
        this.vms = vms;
        this.hosts = hosts;
        this.liveZoning = liveZoning;
        this.logins = logins;
    }

    @Transactional(readOnly = true)
    public Result check(long vmId, long hostId) {
        Vm vm = vms.get(vmId);
        Host to;
        try {
            to = hosts.get(hostId);
        } catch (NotFoundException e) {
            throw RuleViolation.invalid("host", "host " + hostId + " does not exist");
        }
        if (to.getId().equals(vm.getHost().getId())) {
            throw RuleViolation.invalid("host", "VM " + vm.getName() + " already runs on " + to.getName());
        }
        List<Adapter> ports = hosts.adaptersOf(to.getId());
        List<Check> checks = new ArrayList<>();
        for (VmPaths.FabricPath path : vms.paths(vmId).fabrics()) {
            if (path.identity() == null) {
                continue;
            }
            checkFabric(vm, to, path, ports, checks);
        }
        if (checks.isEmpty()) {
            throw RuleViolation.conflict(null, "VM " + vm.getName() + " has no WWPN pair on any fabric: nothing to "
                    + "check; allocate its identity first");
        }
        if (vm.getHost().getHypervisor() == Hypervisor.ESXI) {
            checkHbaOrder(vm, to, checks);
        }
        return new Result(vm.getId(), vm.getName(), vm.getHost().getId(), vm.getHost().getName(), to.getId(),
                to.getName(), checks.stream().allMatch(Check::passed), checks);
    }

    private void checkFabric(Vm vm, Host to, VmPaths.FabricPath path, List<Adapter> ports, List<Check> checks) {
        Fabric fabric = path.fabric();
        String name = fabric.getName();
        List<Adapter> onFabric = ports.stream()
                .filter(a -> a.getFabric() != null && a.getFabric().getId().equals(fabric.getId())).toList();
        checks.add(new Check(Kind.PORT_ON_FABRIC, name, !onFabric.isEmpty(), onFabric.isEmpty()
                ? "host " + to.getName() + " has no port cabled to " + name
                : onFabric.size() + " port(s): " + String.join(", ", onFabric.stream().map(Adapter::getLabel).toList()),
                onFabric.isEmpty() ? "cable an HBA port of " + to.getName() + " to " + name + " and record it" : null));
        if (!path.vfs().isEmpty()) {
            long free = onFabric.stream().mapToLong(a -> hosts.vfsOf(a.getId()).stream()
                    .filter(vf -> vf.getVm() == null).count()).sum();
            checks.add(new Check(Kind.FREE_VF, name, free > 0, free + " free VF(s) on " + name,
                    free > 0 ? null : "enable more VFs on an adapter of " + to.getName() + " on " + name));
        }
        long loginsLeft = onFabric.stream().mapToLong(a -> Math.max(0, vms.npivLoginsLeft(a))).sum();
        checks.add(new Check(Kind.NPIV_LOGIN_LEFT, name, loginsLeft > 0, loginsLeft + " NPIV login(s) left",
                loginsLeft > 0 ? null : "free a VF on " + to.getName() + " or raise the adapters' NPIV vport limit"));

        ZoningDatabase zoning;
        try {
            zoning = liveZoning.zoning(fabric);
        } catch (RuleViolation e) {
            checks.add(new Check(Kind.FABRIC_READABLE, name, false, e.getMessage(),
                    "check the fabric's connection, then run the check again"));
            return;
        }
        Wwn active = path.identity().getActiveWwpn();
        Wwn standby = path.identity().getStandbyWwpn();
        Set<String> own = Set.of(active.toString(), standby.toString());
        Set<String> reached = without(reachedBy(zoning, active), own);
        Set<String> reachedByStandby = without(reachedBy(zoning, standby), own);
        Set<String> missing = new TreeSet<>(reached);
        missing.removeAll(reachedByStandby);
        checks.add(new Check(Kind.STANDBY_ZONED, name, missing.isEmpty() && !reached.isEmpty(),
                reached.isEmpty() ? "the active WWPN " + active + " is in no zone of the effective configuration"
                        : missing.isEmpty() ? "standby " + standby + " reaches all " + reached.size() + " target(s)"
                        : "standby " + standby + " does not reach " + String.join(", ", missing),
                missing.isEmpty() && !reached.isEmpty() ? null : "plan and push " + name + " (vfzone zones both "
                        + "WWPNs of the pair)"));
        logins.ofVm(vm.getId()).stream().filter(login -> login.fabric().equals(name)).findFirst()
                .filter(LoginQueries.VmLogin::discovered)
                .ifPresent(login -> checks.add(new Check(Kind.STANDBY_LOGGED_IN, name, true,
                        login.standbyFcid() != null ? "standby " + standby + " is logged in at " + login.standbyFcid()
                                : "standby " + standby + " is not logged in: normal before a migration, it logs in "
                                + "as the VM moves", null)));
        if (fabric.isZoneHostHbas()) {
            // the source host's own ports share the VM's zones with RDM-style zoning: they are not targets
            Set<String> sourcePorts = new HashSet<>();
            hosts.adaptersOf(vm.getHost().getId()).forEach(a -> sourcePorts.add(a.getWwpn().toString()));
            for (Adapter port : onFabric) {
                Set<String> portReaches = reachedBy(zoning, port.getWwpn());
                Set<String> portMissing = new TreeSet<>(reached);
                portMissing.removeAll(portReaches);
                portMissing.removeAll(sourcePorts);
                checks.add(new Check(Kind.HOST_PORT_ZONED, name, portMissing.isEmpty(), portMissing.isEmpty()
                        ? "port " + port.getWwpn() + " reaches the VM's targets (RDM-style zoning)"
                        : "port " + port.getWwpn() + " does not reach " + String.join(", ", portMissing),
                        portMissing.isEmpty() ? null : "plan and push " + name + " after the move, or zone the port "
                                + "first: the fabric zones host ports with their VMs"));
            }
        }
    }

    /**
     * vSphere keeps a VM's WWPNs through a vMotion and logs the i-th in through the destination's i-th HBA (see
     * {@link org.vfzone.inventory.VsphereNpiv}): each WWPN the VM's host uses must land on an HBA of its own fabric.
     */
    private void checkHbaOrder(Vm vm, Host to, List<Check> checks) {
        List<VsphereNpiv.FabricWwpns> fabrics = new ArrayList<>();
        for (VmPaths.FabricPath path : vms.paths(vm.getId()).fabrics()) {
            if (path.identity() != null) {
                fabrics.add(new VsphereNpiv.FabricWwpns(path.fabric().getId(),
                        path.fabric().getName(), path.identity().getActiveWwpn(), path.identity().getStandbyWwpn()));
            }
        }
        // the WWPN list as configured for the VM's own host, and where each lands on the destination
        List<Wwn> configured = VsphereNpiv.order(
                VsphereNpiv.hbaOrder(hosts.adaptersOf(vm.getHost().getId())), fabrics).wwpns();
        List<Adapter> destination = VsphereNpiv.hbaOrder(hosts.adaptersOf(to.getId()));
        List<String> wrong = new ArrayList<>();
        Set<Long> reached = new HashSet<>();
        for (int i = 0; i < Math.min(Math.min(configured.size(), destination.size()),
                VsphereNpiv.MAX_VPORTS); i++) {
            Wwn wwpn = configured.get(i);
            VsphereNpiv.FabricWwpns owner = fabrics.stream().filter(f -> f.active().equals(wwpn)
                    || f.standby().equals(wwpn)).findFirst().orElseThrow();
            Adapter hba = destination.get(i);
            if (hba.getFabric() != null && hba.getFabric().getId() == owner.fabricId()) {
                reached.add(owner.fabricId());
            } else {
                wrong.add("HBA " + (i + 1) + " (" + hba.getLabel() + ") is on " + (hba.getFabric() == null
                        ? "no fabric" : hba.getFabric().getName()) + " but would log in with " + wwpn + ", zoned on "
                        + owner.fabricName());
            }
        }
        List<String> unreached = fabrics.stream().filter(f -> !reached.contains(f.fabricId()))
                .map(VsphereNpiv.FabricWwpns::fabricName).toList();
        boolean passed = wrong.isEmpty() && unreached.isEmpty();
        checks.add(new Check(Kind.HBA_ORDER, String.join(", ", fabrics.stream()
                .map(VsphereNpiv.FabricWwpns::fabricName).toList()), passed, passed
                ? "vMotion keeps the WWPNs, and " + to.getName() + "'s HBAs take them on the fabrics they are zoned on"
                : String.join("; ", wrong) + (unreached.isEmpty() ? "" : (wrong.isEmpty() ? "" : "; ")
                + "no path on " + String.join(", ", unreached)), passed ? null : "cable " + to.getName()
                + "'s HBAs in the same fabric order as " + vm.getHost().getName() + "'s (vSphere assigns the WWPNs "
                + "to HBAs in sequence), or choose another host"));
    }

    public record Moved(Result check, List<String> actions) {
    }

    /** Moves the VM after a passing check; a failing check refuses the move (409) naming what fails. */
    public Moved move(long vmId, long hostId, String user) {
        Result result = check(vmId, hostId);
        if (!result.ready()) {
            throw RuleViolation.conflict("host", "VM " + result.vmName() + " cannot move to " + result.toHost() + ": "
                    + String.join("; ", result.checks().stream().filter(c -> !c.passed())
                    .map(c -> c.fabric() + " " + c.check() + ": " + c.detail()).toList()));
        }
        return new Moved(result, vms.moveTo(vmId, hostId, user));
    }

    /** The hosts of the VM's cluster (every other host when it has none) with the check for each. */
    @Transactional(readOnly = true)
    public List<Result> clusterHosts(long vmId) {
        Vm vm = vms.get(vmId);
        String cluster = vm.getCluster() == null || vm.getCluster().isBlank() ? vm.getHost().getCluster()
                : vm.getCluster();
        List<Result> results = new ArrayList<>();
        for (Host host : hosts.all()) {
            boolean sameCluster = cluster == null || cluster.isBlank() || cluster.equalsIgnoreCase(host.getCluster());
            if (sameCluster && !host.getId().equals(vm.getHost().getId()) && results.size() < 32) {
                results.add(check(vmId, host.getId()));
            }
        }
        return results;
    }

    /** Every WWN sharing a zone of the effective configuration with {@code wwn}. */
    static Set<String> reachedBy(ZoningDatabase zoning, Wwn wwn) {
        String wanted = wwn.toString();
        Set<String> reached = new HashSet<>();
        for (Zone zone : zoning.activeZones().values()) {
            List<String> members = new ArrayList<>(zone.principals());
            members.addAll(zone.members());
            List<String> normalized = members.stream().map(MigrationCheck::normalize).toList();
            if (normalized.contains(wanted)) {
                reached.addAll(normalized);
            }
        }
        reached.remove(wanted);
        return reached;
    }

    private static Set<String> without(Set<String> wwns, Set<String> removed) {
        Set<String> rest = new TreeSet<>(wwns);
        rest.removeAll(removed);
        return rest;
    }

    private static String normalize(String member) {
        try {
            return Wwn.parse(member).toString();
        } catch (RuntimeException e) {
            return member;
        }
    }
}
