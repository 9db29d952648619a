package org.vfzone.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.vfzone.analytics.SanAnalyticsPoller;
import org.vfzone.fabric.cisco.CiscoMdsEmulator;
import org.vfzone.inventory.InventoryDirectory;
import org.vfzone.traffic.Snapshot;
import org.vfzone.traffic.TrafficIngestService;
import org.vfzone.traffic.TrafficQueries;
import org.vfzone.traffic.TrafficRollups;
import org.vfzone.traffic.VmDiskTraffic;
import org.vfzone.wwn.Wwn;

/**
 * Demo mode: synthetic traffic for every VM — a daily cycle with noise, a few noisy VMs, an occasional counter reset
 * and link error. On fabric A (Brocade, no flow statistics) as fc_host counters a host collector would send; on
 * fabric B the demo's MDS switch carries the IO as SAN Analytics flows, which vfzone's poller reads as it reads a
 * real switch; each VM's disk IO over both goes to the demo's vCenter, whose poller reads it as from a real one.
 * Three days of history at start (fabric B's and vCenter's stored as their pollers store them), then live IO every
 * 10 seconds.
 */
@Component
@Profile("demo")
@Order(2)
class DemoTraffic implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoTraffic.class);
    static final Duration HISTORY = Duration.ofDays(3);
    static final Duration HISTORY_STEP = Duration.ofMinutes(2);
    private static final String SWITCH_FABRIC = "FAB-B";

    private final InventoryDirectory inventory;
    private final TrafficQueries queries;
    private final TrafficIngestService ingest;
    private final TrafficRollups rollups;
    private final CiscoMdsEmulator mds;
    private final VmDiskTraffic vmDisks;
    private final DemoVcenter vcenter;
    private final Clock clock;
    private final Map<Long, Counters> counters = new HashMap<>();
    private final Random random = new Random(42);

    /** The running counters of one initiator, as its HBA (or the switch's flow) would keep them. */
    private static final class Counters {
        final double baseIops;
        final double readShare;
        long reads;
        long writes;
        long rxWords;
        long txWords;
        long errors;
        long linkFailures;
        long secondsSinceReset = 86_400L * 30;

        Counters(double baseIops, double readShare) {
            this.baseIops = baseIops;
            this.readShare = readShare;
        }

        /** Reads, writes, bytes read and bytes written, as a switch's flow totals. */
        long[] flowTotals() {
            return new long[] {reads, writes, rxWords * 4, txWords * 4};
        }
    }

    /** A VM's initiator on a fabric: the WWPN logged in, and the fabric's id when the switch reports its IO. */
    private record Initiator(long vmId, long wwpn, String fabric, Long switchFabricId) {
    }

    /** Per VM, the IO of one step over all its initiators (reads, writes, bytes read, bytes written). */
    private static final class StepIo {
        final Map<Long, long[]> byVm = new HashMap<>();

        void add(long vmId, long[] before, long[] after) {
            long[] sum = byVm.computeIfAbsent(vmId, k -> new long[4]);
            for (int i = 0; i < 4; i++) {
                // an HBA reset starts its counters again: that step's IO is what they count since
                sum[i] += after[i] >= before[i] ? after[i] - before[i] : after[i];
            }
        }
    }

    DemoTraffic(InventoryDirectory inventory, TrafficQueries queries, TrafficIngestService ingest,
                TrafficRollups rollups, CiscoMdsEmulator mds, VmDiskTraffic vmDisks, DemoVcenter vcenter,
                Clock clock) {
        this.vmDisks = vmDisks;
        this.vcenter = vcenter;
        this.inventory = inventory;
        this.queries = queries;
        this.ingest = ingest;
        this.rollups = rollups;
        this.mds = mds;
        this.clock = clock;
    }

    @Override
    public void run(ApplicationArguments args) {
        List<Initiator> initiators = initiators();
        if (initiators.isEmpty()) {
            return;
        }
        if (queries.anySampleSince(clock.instant().minus(Duration.ofHours(1)))) {
            return;
        }
        Instant now = clock.instant();
        Instant start = now.minus(HISTORY);
        long begin = System.nanoTime();
        int stored = 0;
        for (Instant day = start; day.isBefore(now); day = day.plus(Duration.ofHours(6))) {
            List<Snapshot> fromHosts = new ArrayList<>();
            Map<Long, List<Snapshot>> fromSwitches = new HashMap<>();
            Instant end = day.plus(Duration.ofHours(6)).isBefore(now) ? day.plus(Duration.ofHours(6)) : now;
            List<VmDiskTraffic.Sample> fromVcenter = new ArrayList<>();
            for (Instant ts = day; ts.isBefore(end); ts = ts.plus(HISTORY_STEP)) {
                StepIo step = new StepIo();
                for (Initiator initiator : initiators) {
                    long[] before = totals(initiator.wwpn());
                    Counters c = advance(initiator.wwpn(), ts, HISTORY_STEP, initiator.switchFabricId() == null);
                    step.add(initiator.vmId(), before, c.flowTotals());
                    if (initiator.switchFabricId() == null) {
                        fromHosts.add(hostSnapshot(initiator.wwpn(), ts, c));
                    } else {
                        fromSwitches.computeIfAbsent(initiator.switchFabricId(), k -> new ArrayList<>())
                                .add(SanAnalyticsPoller.snapshot(initiator.wwpn(), ts, c.flowTotals()));
                    }
                }
                fromVcenter.addAll(vmSamples(step, ts, HISTORY_STEP));
            }
            stored += vmDisks.store(fromVcenter);
            stored += ingest.ingest(fromHosts).accepted();
            for (Map.Entry<Long, List<Snapshot>> fabric : fromSwitches.entrySet()) {
                stored += ingest.ingestFromSwitch(fabric.getKey(), fabric.getValue()).stored().accepted();
            }
        }
        rollups.rebuild(start.minus(Duration.ofHours(1)));
        log.info("Demo traffic: {} snapshots of {} initiators over {} days in {} ms", stored, initiators.size(),
                HISTORY.toDays(), (System.nanoTime() - begin) / 1_000_000);
    }

    @Scheduled(fixedRate = 10_000, initialDelay = 10_000)
    // one node plays the collectors, as on a real estate each host posts once
    @SchedulerLock(name = "demo-traffic", lockAtMostFor = "PT1M")
    void live() {
        Instant now = clock.instant();
        List<Snapshot> batch = new ArrayList<>();
        String target = targetFcid();
        StepIo step = new StepIo();
        for (Initiator initiator : initiators()) {
            if (initiator.switchFabricId() == null) {
                long[] before = totals(initiator.wwpn());
                Counters c = advance(initiator.wwpn(), now, Duration.ofSeconds(10), true);
                step.add(initiator.vmId(), before, c.flowTotals());
                batch.add(hostSnapshot(initiator.wwpn(), now, c));
                continue;
            }
            String fcid = mds.fcidOf(DemoSwitches.FABRIC_B_VSAN, new Wwn(initiator.wwpn()).toString());
            if (fcid == null || target == null) {
                continue;
            }
            String port = "fc1/" + Integer.parseInt(fcid.substring(4), 16);
            long[] before = totals(initiator.wwpn());
            long[] after = advance(initiator.wwpn(), now, Duration.ofSeconds(10), false).flowTotals();
            // a flow the switch learns now starts from the totals of the history
            long[] flowBefore = mds.hasFlow(DemoSwitches.FABRIC_B_VSAN, port, fcid, target) ? before : new long[4];
            mds.flowTraffic(DemoSwitches.FABRIC_B_VSAN, port, fcid, target, after[0] - flowBefore[0],
                    after[1] - flowBefore[1], after[2] - flowBefore[2], after[3] - flowBefore[3]);
            step.add(initiator.vmId(), before, after);
        }
        if (!batch.isEmpty()) {
            ingest.ingest(batch);
        }
        // the guests' disk IO over both fabrics, as vCenter sees it
        for (VmDiskTraffic.Sample s : vmSamples(step, now, Duration.ofSeconds(10))) {
            vcenter.report(s.vmId(), Math.round(s.readMbps() * 1_000_000 / 1024), Math.round(s.writeMbps() * 1_000_000
                    / 1024), Math.round(s.readIops()), Math.round(s.writeIops()));
        }
    }

    private synchronized long[] totals(long wwpn) {
        Counters c = counters.get(wwpn);
        return c == null ? new long[4] : c.flowTotals();
    }

    /** Each VM's IO of the step as vCenter would average it over the step. */
    private static List<VmDiskTraffic.Sample> vmSamples(StepIo step, Instant at, Duration length) {
        List<VmDiskTraffic.Sample> samples = new ArrayList<>(step.byVm.size());
        float seconds = length.toSeconds();
        step.byVm.forEach((vmId, io) -> samples.add(new VmDiskTraffic.Sample(vmId, at, (int) length.toSeconds(),
                io[0] / seconds, io[1] / seconds, io[2] / seconds / 1_000_000, io[3] / seconds / 1_000_000)));
        return samples;
    }

    /** The array port on fabric B the VMs' flows go to, once it is logged in. */
    private String targetFcid() {
        return inventory.allArrayPorts().stream().filter(p -> SWITCH_FABRIC.equals(p.fabricName()))
                .map(p -> mds.fcidOf(DemoSwitches.FABRIC_B_VSAN, p.wwpn())).filter(f -> f != null).findFirst()
                .orElse(null);
    }

    private List<Initiator> initiators() {
        List<Initiator> initiators = new ArrayList<>();
        for (var pair : inventory.allInitiators()) {
            if (SWITCH_FABRIC.equals(pair.fabricName())) {
                String wwpn = DemoLogins.loggedInWwpn(pair);
                if (wwpn != null) {
                    initiators.add(new Initiator(pair.vmId(), Wwn.parse(wwpn).value(), pair.fabricName(),
                            pair.fabricId()));
                }
            } else {
                initiators.add(new Initiator(pair.vmId(), Wwn.parse(pair.activeWwpn()).value(), pair.fabricName(),
                        null));
            }
        }
        return initiators;
    }

    /** The initiator's counters after another step of IO (an HBA reset now and then, where a host reports). */
    private synchronized Counters advance(long initiator, Instant ts, Duration step, boolean resets) {
        Counters c = counters.computeIfAbsent(initiator, k -> {
            boolean noisy = Math.floorMod(k, 9) == 0;
            return new Counters(noisy ? 4000 + random.nextInt(2000) : 200 + random.nextInt(800),
                    0.55 + random.nextDouble() * 0.3);
        });
        double hour = ts.atZone(ZoneOffset.UTC).getHour() + ts.atZone(ZoneOffset.UTC).getMinute() / 60.0;
        double daily = 1 + 0.6 * Math.sin((hour - 8) / 24 * 2 * Math.PI);
        double iops = Math.max(0, c.baseIops * daily * (0.85 + random.nextDouble() * 0.3));
        double seconds = step.toSeconds();
        long reads = Math.round(iops * c.readShare * seconds);
        long writes = Math.round(iops * (1 - c.readShare) * seconds);
        c.reads += reads;
        c.writes += writes;
        c.rxWords += reads * 32 * 1024 / 4;   // 32 KiB per read
        c.txWords += writes * 16 * 1024 / 4;  // 16 KiB per write
        if (random.nextInt(5000) == 0) {
            c.errors += 1 + random.nextInt(20);
            c.linkFailures++;
        }
        c.secondsSinceReset += step.toSeconds();
        if (resets && random.nextInt(20000) == 0) {
            // an HBA reset: every counter starts from zero again
            c.reads = reads;
            c.writes = writes;
            c.rxWords = reads * 32 * 1024 / 4;
            c.txWords = writes * 16 * 1024 / 4;
            c.errors = 0;
            c.linkFailures = 0;
            c.secondsSinceReset = step.toSeconds();
        }
        return c;
    }

    private static Snapshot hostSnapshot(long initiator, Instant ts, Counters c) {
        return Snapshot.of(initiator, ts, "Online", c.reads, c.writes, null, null, c.txWords / 512, c.rxWords / 512,
                c.txWords, c.rxWords, c.errors, c.linkFailures, 0L, 0L, 0L, null, c.secondsSinceReset);
    }
}
