package org.vfzone.fabric;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.vfzone.fabric.emulator.FaultPlan;

/** Runs a push under an armed fault and checks the one property that matters: before or after, never between. */
public final class PushOutcome {

    /**
     * The drivers' request timeout in tests: generous for a switch emulator on loopback even with both cores busy.
     * A hanging answer lasts exactly this long, so it is the price of each hang case.
     */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);

    private PushOutcome() {
    }

    /**
     * @param push         the push to attempt
     * @param faults       the emulator's fault plan, cleared once the push is over
     * @param effective    reads the emulator's effective zones (name → resolved members)
     * @param before       the effective zones before the push
     * @param zone         the zone the push adds
     * @param members      the members it must have when committed
     */
    public static void assertBeforeOrAfter(Runnable push, FaultPlan faults,
                                           Supplier<Map<String, List<String>>> effective,
                                           Map<String, List<String>> before, String zone, List<String> members) {
        boolean pushed;
        try {
            push.run();
            pushed = true;
        } catch (FabricException e) {
            pushed = false;
            assertThat(e.getMessage()).isNotBlank();
        }
        faults.clear();
        Map<String, List<String>> after = effective.get();
        boolean committed = after.containsKey(zone);
        if (committed) {
            assertThat(after.get(zone)).containsExactlyInAnyOrderElementsOf(members);
            assertThat(after).hasSize(before.size() + 1);
        } else {
            assertThat(after).isEqualTo(before);
        }
        if (pushed) {
            assertThat(committed).as("a push that returned normally must have committed").isTrue();
        }
    }
}
