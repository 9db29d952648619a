package org.vfzone.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.vfzone.congestion.CongestionPoller;
import org.vfzone.fabric.brocade.BrocadeFosEmulator;
import org.vfzone.fabric.cisco.CiscoMdsEmulator;
import org.vfzone.fabric.emulator.PortStats;
import org.vfzone.inventory.InventoryDirectory;

/**
 * Demo mode plays a congestion scenario on the emulated switches: one VM on fabric A is a slow-drain device (its port
 * stalls for credit twenty minutes in every hour and drops frames then), and an array port on fabric B is
 * oversubscribed (TxWait 40 % of the time in the same twenty minutes). An hour of port readings is taken at start,
 * then the ports go on as they were.
 */
@Component
@Profile("demo")
@Order(4)
class DemoCongestion implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoCongestion.class);
    private static final Duration STEP = Duration.ofMinutes(5);
    /** The history at start is read every ten minutes: half the polls, the same story. */
    private static final Duration HISTORY_STEP = Duration.ofMinutes(10);
    private static final Duration HISTORY = Duration.ofHours(1);

    private final InventoryDirectory inventory;
    private final BrocadeFosEmulator brocade;
    private final CiscoMdsEmulator mds;
    private final CongestionPoller poller;
    private final Clock clock;
    private PortStats slowDrainPort;
    private PortStats oversubscribedPort;

    DemoCongestion(InventoryDirectory inventory, BrocadeFosEmulator brocade, CiscoMdsEmulator mds,
                   CongestionPoller poller, Clock clock) {
        this.inventory = inventory;
        this.brocade = brocade;
        this.mds = mds;
        this.poller = poller;
        this.clock = clock;
    }

    @Override
    public void run(ApplicationArguments args) {
        for (var pair : inventory.allInitiators()) {
            Integer index = brocade.portIndexOf(DemoSwitches.FABRIC_A_VF_ID, pair.activeWwpn());
            if ("FAB-A".equals(pair.fabricName()) && index != null) {
                slowDrainPort = brocade.port(DemoSwitches.FABRIC_A_VF_ID, index);
                log.info("Demo congestion: {} plays a slow-drain device on FAB-A port 0/{}", pair.vmName(), index);
                break;
            }
        }
        for (var port : inventory.allArrayPorts()) {
            String iface = mds.interfaceOf(DemoSwitches.FABRIC_B_VSAN, port.wwpn());
            if ("FAB-B".equals(port.fabricName()) && iface != null) {
                oversubscribedPort = mds.port(iface);
                break;
            }
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        var fabricIds = inventory.fabricNames().keySet();
        for (Instant at = now.minus(HISTORY); !at.isAfter(now); at = at.plus(HISTORY_STEP)) {
            advance(at, HISTORY_STEP);
            for (long fabricId : fabricIds) {
                poller.poll(fabricId, at);
            }
        }
    }

    /** Five minutes of the scenario, ending at {@code at}: the stall comes twenty minutes in every hour. */
    private void advance(Instant at, Duration step) {
        boolean stalling = at.atZone(ZoneOffset.UTC).getMinute() < 20;
        long scale = step.toSeconds() / STEP.toSeconds();
        if (slowDrainPort != null) {
            slowDrainPort.slowDrain(step.toSeconds(), stalling ? 0.35 : 0.002, stalling ? 40 * scale : 0)
                    .traffic(900_000_000L * scale, 300_000_000L * scale);
        }
        if (oversubscribedPort != null) {
            oversubscribedPort.slowDrain(step.toSeconds(), stalling ? 0.4 : 0.05, 0)
                    .traffic(4_000_000_000L * scale, 2_500_000_000L * scale);
        }
    }

    /** The scenario goes on; the congestion poller reads it on its own schedule. */
    @Scheduled(fixedRate = 300_000, initialDelay = 300_000)
    @SchedulerLock(name = "demo-congestion", lockAtMostFor = "PT4M")
    void live() {
        advance(clock.instant(), STEP);
    }
}
