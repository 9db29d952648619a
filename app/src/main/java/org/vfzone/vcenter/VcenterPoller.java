package org.vfzone.vcenter;

import java.net.http.HttpClient;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.annotation.PreDestroy;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.vfzone.fabric.HttpConversation;
import org.vfzone.inventory.InventoryDirectory;
import org.vfzone.system.ParallelPolls;
import org.vfzone.system.Texts;
import org.vfzone.traffic.VmDiskTraffic;
import org.vfzone.wwn.Wwn;

/**
 * Reads each vCenter's VMs and their newest real-time disk samples, matches them to vfzone's VMs and stores the
 * samples as the VMs' disk IO. A VM is matched by the first of: one of its NPIV WWPNs
 * ({@code config.npivPortWorldWideName}) is a vfzone VM's active or standby WWPN; its BIOS UUID is a vfzone VM's;
 * its name is one vfzone VM's (ignoring case, and only when one has it). Counter keys are resolved by
 * {@code group.name.rollup} at every poll (they differ between vCenter and ESXi, and after an upgrade).
 */
@Component
public class VcenterPoller {


    static final String READ_KBPS = "virtualDisk.read.average";
    static final String WRITE_KBPS = "virtualDisk.write.average";
    static final String READ_IOPS = "virtualDisk.numberReadAveraged.average";
    static final String WRITE_IOPS = "virtualDisk.numberWriteAveraged.average";
    static final List<String> COUNTERS = List.of(READ_KBPS, WRITE_KBPS, READ_IOPS, WRITE_IOPS);
    /** vCenter keeps an hour of real-time samples. */
    static final Duration REAL_TIME_KEPT = Duration.ofHours(1);

    /** The outcome of one poll, as recorded. */
    public record Result(String status, String message, String product, int vms, int matched, int samples) {
    }

    private final VcenterConnections connections;
    private final InventoryDirectory inventory;
    private final VmDiskTraffic traffic;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private final VcenterProperties properties;
    private final ParallelPolls pollers;

    VcenterPoller(VcenterConnections connections, InventoryDirectory inventory, VmDiskTraffic traffic,
                  JdbcTemplate jdbc, TransactionTemplate transaction, Clock clock, VcenterProperties properties) {
        this.connections = connections;
        this.inventory = inventory;
        this.traffic = traffic;
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.clock = clock;
        this.properties = properties;
        this.pollers = new ParallelPolls("vcenter-poll", properties.threads());
    }

    @PreDestroy
    void stop() {
        pollers.close();
    }

    /** Every vCenter, each on a thread of its own, on one node at a time. */
    @Scheduled(fixedDelayString = "${vfzone.vcenter.interval:PT1M}", initialDelayString = "PT45S")
    @SchedulerLock(name = "vcenter-poll", lockAtMostFor = "PT10M")
    public void pollAll() {
        pollers.pollEach(connections.list(), VcenterConnections.View::name, vcenter -> poll(vcenter.id()),
                properties.requestTimeout().multipliedBy(10));
    }

    /** Polls one vCenter now; the outcome is recorded for its page and returned. */
    public Result poll(long vcenterId) {
        connections.get(vcenterId);
        Instant now = clock.instant();
        VcenterConnections.Endpoint endpoint = connections.endpoint(vcenterId).orElse(null);
        if (endpoint == null) {
            return record(vcenterId, now, new Result("FAILED", "no password stored: enter it on the vCenter's form",
                    null, 0, 0, 0));
        }
        try (VsphereClient client = client(endpoint)) {
            String product = client.open();
            Map<String, Integer> keys = client.counterKeys(COUNTERS);
            for (String counter : COUNTERS) {
                if (!keys.containsKey(counter)) {
                    return record(vcenterId, now, new Result("FAILED", "vCenter has no counter " + counter,
                            product, 0, 0, 0));
                }
            }
            List<VsphereClient.VmInfo> vms = client.virtualMachines();
            Map<String, Match> matches = match(vms);
            Map<Long, Instant> newest = traffic.newest(matches.values().stream().map(Match::vmId).distinct().toList(),
                    now.minus(REAL_TIME_KEPT));
            Instant since = newest.isEmpty() || newest.size() < matches.size() ? null
                    : newest.values().stream().min(Instant::compareTo).orElse(null);
            // the samples since the newest stored (up to the hour vCenter keeps), or the last few for a VM new here
            int maxSamples = since != null ? (int) (REAL_TIME_KEPT.toSeconds() / 20)
                    : (int) (properties.interval().toSeconds() / 20) + 3;
            List<VsphereClient.DiskSample> samples = matches.isEmpty() ? List.of()
                    : client.diskSamples(new ArrayList<>(matches.keySet()), keys.get(READ_KBPS), keys.get(WRITE_KBPS),
                    keys.get(READ_IOPS), keys.get(WRITE_IOPS), since, maxSamples);
            List<VmDiskTraffic.Sample> rows = new ArrayList<>(samples.size());
            for (VsphereClient.DiskSample s : samples) {
                Match match = matches.get(s.moref());
                if (match == null) {
                    continue;
                }
                rows.add(new VmDiskTraffic.Sample(match.vmId(), s.at(), s.intervalSeconds(), s.readIops(),
                        s.writeIops(), s.readKBps() * 1024f / 1_000_000, s.writeKBps() * 1024f / 1_000_000));
            }
            return transaction.execute(status -> {
                int stored = traffic.store(rows);
                keepMatches(vcenterId, now, matches);
                return record(vcenterId, now, new Result("OK", null, product, vms.size(), matches.size(), stored));
            });
        } catch (VsphereClient.VsphereFault e) {
            return record(vcenterId, now, new Result("FAILED", describe(e), null, 0, 0, 0));
        }
    }

    /** Signs in and reads what a poll reads, storing nothing: for the Test connection button. */
    public Result test(long vcenterId) {
        VcenterConnections.Endpoint endpoint = connections.endpoint(vcenterId).orElse(null);
        if (endpoint == null) {
            return new Result("FAILED", "no password stored: enter it on the vCenter's form", null, 0, 0, 0);
        }
        try (VsphereClient client = client(endpoint)) {
            String product = client.open();
            Map<String, Integer> keys = client.counterKeys(COUNTERS);
            List<String> missing = COUNTERS.stream().filter(c -> !keys.containsKey(c)).toList();
            List<VsphereClient.VmInfo> vms = client.virtualMachines();
            int matched = match(vms).size();
            return new Result(missing.isEmpty() ? "OK" : "FAILED", missing.isEmpty() ? null
                    : "vCenter has no counter " + String.join(", ", missing), product, vms.size(), matched, 0);
        } catch (VsphereClient.VsphereFault e) {
            return new Result("FAILED", describe(e), null, 0, 0, 0);
        }
    }

    private VsphereClient client(VcenterConnections.Endpoint endpoint) {
        HttpClient http = HttpConversation.newClient(properties.requestTimeout(), endpoint.pin());
        return new VsphereClient(endpoint.sdkUrl(), endpoint.username(), endpoint.password(), http,
                properties.requestTimeout());
    }

    private static String describe(VsphereClient.VsphereFault e) {
        return switch (e.type()) {
            case "InvalidLogin" -> "vCenter refused the user name or password";
            case "NoPermission" -> "the user may not read this: " + e.getMessage();
            default -> e.getMessage();
        };
    }

    record Match(long vmId, String by) {
    }

    /** vCenter's VMs matched to vfzone's (by moref): NPIV WWPN first, then BIOS UUID, then a unique name. */
    Map<String, Match> match(List<VsphereClient.VmInfo> vms) {
        Map<Long, Long> vmByWwpn = new HashMap<>();
        for (var pair : inventory.allInitiators()) {
            vmByWwpn.put(Wwn.parse(pair.activeWwpn()).value(), pair.vmId());
            vmByWwpn.put(Wwn.parse(pair.standbyWwpn()).value(), pair.vmId());
        }
        Map<String, Long> vmByUuid = new HashMap<>();
        Map<String, List<Long>> vmsByName = new HashMap<>();
        for (InventoryDirectory.VmKeys keys : inventory.allVmKeys()) {
            if (keys.uuid() != null) {
                vmByUuid.put(keys.uuid().toString().toLowerCase(Locale.ROOT), keys.vmId());
            }
            vmsByName.computeIfAbsent(keys.name().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(keys.vmId());
        }
        Map<String, Match> matches = new LinkedHashMap<>();
        for (VsphereClient.VmInfo vm : vms) {
            Long byWwpn = vm.npivWwpns().stream().map(vmByWwpn::get).filter(v -> v != null).findFirst().orElse(null);
            if (byWwpn != null) {
                matches.put(vm.moref(), new Match(byWwpn, "wwpn"));
                continue;
            }
            Long byUuid = vm.uuid() == null ? null : vmByUuid.get(vm.uuid().toLowerCase(Locale.ROOT));
            if (byUuid != null) {
                matches.put(vm.moref(), new Match(byUuid, "uuid"));
                continue;
            }
            List<Long> byName = vm.name() == null ? null : vmsByName.get(vm.name().toLowerCase(Locale.ROOT));
            if (byName != null && byName.size() == 1) {
                matches.put(vm.moref(), new Match(byName.get(0), "name"));
            }
        }
        return matches;
    }

    private void keepMatches(long vcenterId, Instant at, Map<String, Match> matches) {
        jdbc.update("delete from vcenter_vm where vcenter_id = ?", vcenterId);
        List<Object[]> rows = new ArrayList<>(matches.size());
        matches.forEach((moref, match) -> rows.add(new Object[] {vcenterId, moref, match.vmId(), match.by(),
                Timestamp.from(at)}));
        jdbc.batchUpdate("insert into vcenter_vm (vcenter_id, moref, vm_id, matched_by, seen_at) values (?, ?, ?, ?, ?)",
                rows);
    }

    private Result record(long vcenterId, Instant at, Result result) {
        jdbc.update("""
                insert into vcenter_status (vcenter_id, checked_at, status, message, vms, matched, samples, last_ok_at)
                values (?, ?, ?, ?, ?, ?, ?, case when ? = 'OK' then ?::timestamptz end)
                on conflict (vcenter_id) do update set checked_at = excluded.checked_at, status = excluded.status,
                       message = excluded.message, vms = excluded.vms, matched = excluded.matched,
                       samples = excluded.samples, last_ok_at = coalesce(excluded.last_ok_at, vcenter_status.last_ok_at)
                """, vcenterId, Timestamp.from(at), result.status(), Texts.abbreviate(result.message(), 500),
                result.vms(), result.matched(), result.samples(), result.status(), Timestamp.from(at));
        return result;
    }
}
