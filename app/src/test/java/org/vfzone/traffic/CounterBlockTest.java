package org.vfzone.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.vfzone.collector.FcCounter;

class CounterBlockTest {

    static List<Snapshot> day(long seed) {
        return TrafficHistory.day(0x5000_0000_0000_0001L, LocalDate.parse("2026-11-30"), seed);
    }

    @Test
    void aBlockDecodesToExactlyTheSnapshotsEncodedAtUnderFortyBytesEach() {
        List<Snapshot> day = day(1);
        CounterBlock.Encoded block = CounterBlock.encode(day);

        List<Snapshot> decoded = CounterBlock.decode(day.get(0).initiator(), block.streams(), block.stateFrom(),
                block.states());
        assertThat(decoded).isEqualTo(day);
        assertThat(block.samples()).isEqualTo(day.size());
        assertThat(block.firstTs()).isEqualTo(day.get(0).ts());
        assertThat(block.lastTs()).isEqualTo(day.get(day.size() - 1).ts());
        assertThat(block.states()).containsExactly("Online", "Linkdown", "Online");
        assertThat((double) block.streams().length / day.size()).isLessThan(40);
    }

    @Test
    void countersNeverReportedCostNothingAndAbsentOnesStayAbsent() {
        Long[] sparse = new Long[FcCounter.ALL.size()];
        sparse[FcCounter.FCP_INPUT_REQUESTS.ordinal()] = 5L;
        Long[] next = sparse.clone();
        next[FcCounter.FCP_INPUT_REQUESTS.ordinal()] = null;
        next[FcCounter.ERROR_FRAMES.ordinal()] = Long.MAX_VALUE;
        List<Snapshot> snapshots = List.of(new Snapshot(7, Instant.parse("2026-11-30T10:00:00Z"), sparse, null),
                new Snapshot(7, Instant.parse("2026-11-30T10:00:00.000001Z"), next, "Online"));
        CounterBlock.Encoded block = CounterBlock.encode(snapshots);
        assertThat(CounterBlock.decode(7, block.streams(), block.stateFrom(), block.states())).isEqualTo(snapshots);
    }

    @Test
    void snapshotsOutOfOrderAreRefused() {
        List<Snapshot> day = day(2);
        assertThatThrownBy(() -> CounterBlock.encode(List.of(day.get(1), day.get(0))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
