package org.vfzone.inventory;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.vfzone.audit.AuditLog;
import org.vfzone.system.RuleViolation;
import org.vfzone.wwn.Wwn;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hosts report their FC inventory (the collector reads it from sysfs); vfzone keeps each host's last report and
 * shows how it differs from the inventory as proposals: a new host, a new adapter port (with its SR-IOV VFs), a
 * changed WWPN, another VF count, a port cabled to another fabric. An operator accepts them, in bulk; each change
 * goes through the same rules and audit as a change by hand. The fabric a port is cabled to is known by its fabric
 * name (the fabric's WWN): vfzone learns each fabric's name from the ports it already knows on that fabric.
 */
@Service
@Transactional
public class HostDiscovery {

    static final String HEX16 = "^[0-9a-fA-F]{16}$";

    public record Vport(@Pattern(regexp = HEX16) String wwpn, @Pattern(regexp = HEX16) String wwnn,
                        @Size(max = 32) String state) {
    }

    public record Port(@Size(max = 32) String fcHost, @Pattern(regexp = HEX16) String wwpn,
                       @Pattern(regexp = HEX16) String wwnn, @Size(max = 64) String portType,
                       @Size(max = 32) String portState, @Size(max = 32) String speed,
                       @Pattern(regexp = HEX16) String fabricName, @Size(max = 256) String symbolicName,
                       @Min(0) @Max(65535) Integer maxNpivVports, @Min(0) @Max(65535) Integer npivVportsInUse,
                       @Pattern(regexp = "^(?i)[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]$") String pciAddress,
                       @Min(0) @Max(4096) Integer sriovTotalVfs, @Min(0) @Max(4096) Integer sriovNumVfs,
                       @Size(max = 4096) List<String> vfs, @Size(max = 1024) List<@Valid Vport> vports) {
    }

    public record Report(@NotBlank @Size(max = 128) @Pattern(regexp = "^[A-Za-z0-9][A-Za-z0-9._-]*$") String host,
                         @Size(max = 64) List<@Valid Port> ports) {
    }

    public enum Kind { NEW_HOST, NEW_ADAPTER, CHANGED_WWPN, VF_COUNT, OTHER_FABRIC }

    /** A difference between a host's report and the inventory; {@code key} names it for accepting. */
    public record Proposal(String key, Kind kind, String host, String pciAddress, String summary) {
    }

    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private final HostService hosts;
    private final FabricService fabrics;
    private final AuditLog audit;

    HostDiscovery(JdbcTemplate jdbc, JsonMapper json, Clock clock, HostService hosts, FabricService fabrics,
                  AuditLog audit) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.hosts = hosts;
        this.fabrics = fabrics;
        this.audit = audit;
    }

    /** Keeps the host's report (replacing its last one), learns fabric names, and answers the proposals for it. */
    public List<Proposal> receive(Report report, String reportedBy) {
        String host = report.host().strip();
        jdbc.update("""
                insert into host_discovery (host_name, report, reported_by, reported_at) values (?, ?, ?, ?)
                on conflict (host_name) do update set report = excluded.report, reported_by = excluded.reported_by,
                                                      reported_at = excluded.reported_at
                """, host.toLowerCase(Locale.ROOT), json.writeValueAsString(report), reportedBy,
                Timestamp.from(clock.instant()));
        learnFabricNames(report);
        return proposalsOf(report);
    }

    /** A port vfzone knows on a fabric tells that fabric's name; a name once learned keeps its fabric. */
    private void learnFabricNames(Report report) {
        Optional<Host> host = hosts.findByName(report.host().strip());
        if (host.isEmpty() || report.ports() == null) {
            return;
        }
        for (Port port : report.ports()) {
            if (port.fabricName() == null || port.pciAddress() == null) {
                continue;
            }
            hosts.findAdapter(host.get().getId(), port.pciAddress().toLowerCase(Locale.ROOT))
                    .filter(adapter -> adapter.getFabric() != null)
                    .ifPresent(adapter -> jdbc.update("insert into fabric_name_seen (fabric_wwn, fabric_id) values "
                            + "(?, ?) on conflict (fabric_wwn) do nothing", port.fabricName().toLowerCase(Locale.ROOT),
                            adapter.getFabric().getId()));
        }
    }

    @Transactional(readOnly = true)
    public List<Proposal> proposals() {
        List<Proposal> all = new ArrayList<>();
        for (String text : jdbc.queryForList("select report from host_discovery order by host_name", String.class)) {
            all.addAll(proposalsOf(json.readValue(text, Report.class)));
        }
        return all;
    }

    /** When each host last reported, for the page. */
    @Transactional(readOnly = true)
    public Map<String, Instant> lastReports() {
        Map<String, Instant> seen = new LinkedHashMap<>();
        jdbc.query("select host_name, reported_at from host_discovery order by host_name",
                rs -> {
                    seen.put(rs.getString(1), rs.getTimestamp(2).toInstant());
                });
        return seen;
    }

    private Optional<Long> fabricNamed(String fabricWwn) {
        if (fabricWwn == null) {
            return Optional.empty();
        }
        return jdbc.queryForList("select fabric_id from fabric_name_seen where fabric_wwn = ?", Long.class,
                fabricWwn.toLowerCase(Locale.ROOT)).stream().findFirst();
    }

    private List<Proposal> proposalsOf(Report report) {
        String hostName = report.host().strip();
        List<Proposal> proposals = new ArrayList<>();
        Optional<Host> host = hosts.findByName(hostName);
        List<Port> ports = report.ports() == null ? List.of() : report.ports().stream()
                .filter(p -> p.pciAddress() != null && p.wwpn() != null && p.wwnn() != null)
                .sorted(Comparator.comparing(Port::pciAddress)).toList();
        if (host.isEmpty()) {
            proposals.add(new Proposal("host:" + hostName.toLowerCase(Locale.ROOT), Kind.NEW_HOST, hostName, null,
                    "new host " + hostName + " with " + ports.size() + " FC port(s)"));
        }
        Map<Long, String> fabricNames = new HashMap<>();
        fabrics.list().forEach(f -> fabricNames.put(f.getId(), f.getName()));
        for (Port port : ports) {
            String pci = port.pciAddress().toLowerCase(Locale.ROOT);
            String where = hostName.toLowerCase(Locale.ROOT) + ":" + pci;
            Optional<Long> fabric = fabricNamed(port.fabricName());
            Optional<Adapter> adapter = host.flatMap(h -> hosts.findAdapter(h.getId(), pci));
            if (adapter.isEmpty()) {
                proposals.add(new Proposal("adapter:" + where, Kind.NEW_ADAPTER, hostName, pci, "new "
                        + vendorModel(port) + " port " + pci + ", WWPN " + Wwn.parse(port.wwpn())
                        + (fabric.map(id -> ", on fabric " + fabricNames.get(id)).orElse(port.fabricName() == null
                        ? "" : ", fabric name " + port.fabricName() + " not yet known"))
                        + (port.sriovNumVfs() != null ? ", " + port.sriovNumVfs() + " of " + port.sriovTotalVfs()
                        + " VFs enabled" : "")
                        + (port.vports() == null || port.vports().isEmpty() ? "" : ", " + port.vports().size()
                        + " NPIV vport(s)")));
                continue;
            }
            Adapter known = adapter.get();
            if (!known.getWwpn().equals(Wwn.parse(port.wwpn())) || !known.getWwnn().equals(Wwn.parse(port.wwnn()))) {
                proposals.add(new Proposal("wwpn:" + where, Kind.CHANGED_WWPN, hostName, pci, "port " + pci
                        + " now reports WWPN " + Wwn.parse(port.wwpn()) + " (was " + known.getWwpn() + ")"
                        + " — a replaced HBA; zones holding the old WWPN need a plan"));
            }
            int enabled = hosts.vfsOf(known.getId()).size();
            if (port.sriovNumVfs() != null && port.sriovNumVfs() != enabled) {
                proposals.add(new Proposal("vfs:" + where + ":" + port.sriovNumVfs(), Kind.VF_COUNT, hostName, pci,
                        "port " + pci + " has " + port.sriovNumVfs() + " VFs enabled, vfzone records " + enabled));
            }
            Long recorded = known.getFabric() == null ? null : known.getFabric().getId();
            if (fabric.isPresent() && !fabric.get().equals(recorded)) {
                proposals.add(new Proposal("fabric:" + where + ":" + fabric.get(), Kind.OTHER_FABRIC, hostName, pci,
                        "port " + pci + " is cabled to " + fabricNames.get(fabric.get()) + " (fabric name "
                        + port.fabricName() + "), vfzone records " + (recorded == null ? "no fabric"
                        : fabricNames.get(recorded))));
            }
        }
        return proposals;
    }

    private static String vendorModel(Port port) {
        if (port.symbolicName() == null || port.symbolicName().isBlank()) {
            return "FC";
        }
        String[] words = port.symbolicName().strip().split("\\s+");
        return words.length >= 2 ? words[0] + " " + words[1] : words[0];
    }

    /**
     * Applies the chosen proposals in one transaction, new hosts before their adapters; a proposal no longer current
     * (the report or the inventory changed meanwhile) refuses the whole acceptance.
     */
    public List<String> accept(List<String> keys, String user) {
        if (keys == null || keys.isEmpty()) {
            throw RuleViolation.invalid("keys", "choose at least one proposal");
        }
        Map<String, Proposal> current = new LinkedHashMap<>();
        proposals().forEach(p -> current.put(p.key(), p));
        Map<String, Report> reports = new HashMap<>();
        for (String text : jdbc.queryForList("select report from host_discovery", String.class)) {
            Report report = json.readValue(text, Report.class);
            reports.put(report.host().strip().toLowerCase(Locale.ROOT), report);
        }
        List<Proposal> chosen = new ArrayList<>();
        for (String key : new LinkedHashSet<>(keys)) {
            Proposal proposal = current.get(key);
            if (proposal == null) {
                throw RuleViolation.conflict("keys", "proposal " + key + " is no longer current; look again");
            }
            chosen.add(proposal);
        }
        chosen.sort(Comparator.comparing(Proposal::kind));
        List<String> done = new ArrayList<>();
        for (Proposal proposal : chosen) {
            Report report = reports.get(proposal.host().toLowerCase(Locale.ROOT));
            Port port = proposal.pciAddress() == null ? null : report.ports().stream()
                    .filter(p -> proposal.pciAddress().equalsIgnoreCase(p.pciAddress())).findFirst().orElseThrow();
            switch (proposal.kind()) {
                case NEW_HOST -> {
                    if (hosts.findByName(proposal.host()).isEmpty()) {
                        hosts.create(new HostForm(proposal.host(), null, Hypervisor.KVM));
                    }
                }
                case NEW_ADAPTER -> {
                    Host host = hosts.findByName(proposal.host()).orElseGet(() ->
                            hosts.create(new HostForm(proposal.host(), null, Hypervisor.KVM)));
                    String[] vendorModel = vendorModel(port).split(" ", 2);
                    Adapter created = hosts.createAdapter(host.getId(), new AdapterForm(AdapterKind.HBA, vendorModel[0],
                            vendorModel.length > 1 ? vendorModel[1] : vendorModel[0], proposal.pciAddress(),
                            Wwn.parse(port.wwnn()).toString(), Wwn.parse(port.wwpn()).toString(),
                            fabricNamed(port.fabricName()).orElse(null),
                            Math.min(256, port.sriovTotalVfs() == null ? 0 : port.sriovTotalVfs()),
                            Math.min(1024, port.maxNpivVports() == null ? 255 : port.maxNpivVports())));
                    if (port.sriovNumVfs() != null && port.sriovNumVfs() > 0) {
                        hosts.setVfCount(created.getId(), port.sriovNumVfs());
                    }
                }
                case CHANGED_WWPN -> {
                    Adapter adapter = adapterOf(proposal);
                    AdapterForm form = AdapterForm.of(adapter);
                    hosts.updateAdapter(adapter.getId(), new AdapterForm(form.kind(), form.vendor(), form.model(),
                            form.pciAddress(), Wwn.parse(port.wwnn()).toString(), Wwn.parse(port.wwpn()).toString(),
                            form.fabricId(), form.maxVfs(), form.maxNpivVports()));
                }
                case VF_COUNT -> hosts.setVfCount(adapterOf(proposal).getId(), port.sriovNumVfs());
                case OTHER_FABRIC -> {
                    Adapter adapter = adapterOf(proposal);
                    AdapterForm form = AdapterForm.of(adapter);
                    hosts.updateAdapter(adapter.getId(), new AdapterForm(form.kind(), form.vendor(), form.model(),
                            form.pciAddress(), form.wwnn(), form.wwpn(), fabricNamed(port.fabricName()).orElseThrow(),
                            form.maxVfs(), form.maxNpivVports()));
                }
            }
            done.add(proposal.summary());
        }
        audit.record(user, "ACCEPT_DISCOVERY", "host", null, "Accepted " + done.size() + " discovery proposal(s): "
                + String.join("; ", done), null);
        return done;
    }

    private Adapter adapterOf(Proposal proposal) {
        Host host = hosts.findByName(proposal.host()).orElseThrow();
        return hosts.findAdapter(host.getId(), proposal.pciAddress()).orElseThrow();
    }
}
