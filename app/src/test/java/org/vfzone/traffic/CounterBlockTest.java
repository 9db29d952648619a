package org.vfzone.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

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
    void anHourOfABusyInitiatorTakesUnderTwentyBytesPerSnapshotAndLessThanTheGorillaBlocksBefore() {
        long bytes = 0;
        long gorillaBytes = 0;
        long samples = 0;
        for (long seed = 1; seed <= 20; seed++) {
            List<Snapshot> day = day(seed);
            // compaction makes a block per initiator and hour
            for (int from = 0; from < day.size(); from += 360) {
                List<Snapshot> hour = day.subList(from, Math.min(day.size(), from + 360));
                CounterBlock.Encoded block = CounterBlock.encode(hour);
                assertThat(CounterBlock.decode(7, block.streams(), block.stateFrom(), block.states()))
                        .isEqualTo(hour.stream().map(s -> new Snapshot(7, s.ts(), s.counters(), s.portState())).toList());
                bytes += block.streams().length;
                gorillaBytes += GorillaBlockWriter.encode(hour).streams().length;
                samples += hour.size();
            }
        }
        System.out.printf("block bytes per snapshot: %.2f (version 1: %.2f)%n", (double) bytes / samples,
                (double) gorillaBytes / samples);
        assertThat((double) bytes / samples).isLessThan(20);
        assertThat(bytes).isLessThan(gorillaBytes);
    }

    @Test
    void aBlockWrittenByTheGorillaVersionStillReadsBackExactly() {
        List<Snapshot> day = day(3);
        CounterBlock.Encoded old = GorillaBlockWriter.encode(day);
        assertThat(old.streams()[0]).isEqualTo((byte) 1);
        assertThat(CounterBlock.decode(day.get(0).initiator(), old.streams(), old.stateFrom(), old.states()))
                .isEqualTo(day);
    }

    @Test
    void extremeValuesJumpsResetsAndTimestampsBeforeTheEpochRoundTrip() {
        long[] values = {0, Long.MAX_VALUE, Long.MIN_VALUE, -2, 1, Long.MAX_VALUE - 1, 3, 3, 3, 1L << 40, 0,
                Long.MIN_VALUE + 1, 7, 8, 9, 10, Long.MAX_VALUE};
        Instant[] times = {Instant.parse("1969-12-31T23:59:59.999999Z"), Instant.parse("1970-01-01T00:00:00Z")};
        List<Snapshot> snapshots = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            Long[] row = new Long[FcCounter.ALL.size()];
            for (int c = 0; c < row.length; c++) {
                row[c] = c % 3 == 0 ? Long.valueOf(values[(i + c) % values.length]) : (c + i) % 4 == 0 ? null
                        : Long.valueOf(values[i] ^ c);
            }
            Instant ts = i < times.length ? times[i] : times[1].plusSeconds((long) i * i * 1_000_003L).plusNanos(i * 1000L);
            snapshots.add(new Snapshot(9, ts, row, i % 5 == 0 ? "Online" : "Linkdown"));
        }
        CounterBlock.Encoded block = CounterBlock.encode(snapshots);
        assertThat(CounterBlock.decode(9, block.streams(), block.stateFrom(), block.states())).isEqualTo(snapshots);
    }

    @Test
    void randomBlocksOfAnyValuesRoundTripExactly() {
        Random random = new Random(42);
        // all ones is sysfs's "not supported", stored as absent, never a value
        long[] edges = {0, 1, -2, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1, Long.MIN_VALUE + 1};
        for (int block = 0; block < 300; block++) {
            int size = 1 + random.nextInt(random.nextBoolean() ? 5 : 400);
            List<Snapshot> snapshots = new ArrayList<>();
            long[] counters = new long[FcCounter.ALL.size()];
            Instant ts = Instant.ofEpochSecond(random.nextInt(2_000_000_000), random.nextInt(1_000_000) * 1000L);
            for (int i = 0; i < size; i++) {
                Long[] row = new Long[counters.length];
                for (int c = 0; c < counters.length; c++) {
                    switch (random.nextInt(6)) {
                        case 0 -> counters[c] = edges[random.nextInt(edges.length)];
                        case 1 -> counters[c] = random.nextLong();
                        case 2 -> counters[c] += random.nextInt(1 << random.nextInt(31));
                        default -> counters[c] += c * 1000L; // steady, or guided by another
                    }
                    row[c] = random.nextInt(20) == 0 || counters[c] == -1 ? null : counters[c];
                }
                snapshots.add(new Snapshot(3, ts, row, random.nextInt(50) == 0 ? "Linkdown" : "Online"));
                ts = ts.plusNanos((1 + random.nextInt(random.nextBoolean() ? 3 : 20_000_000)) * 1000L);
            }
            CounterBlock.Encoded encoded = CounterBlock.encode(snapshots);
            assertThat(CounterBlock.decode(3, encoded.streams(), encoded.stateFrom(), encoded.states()))
                    .as("block %d of %d snapshots", block, size).isEqualTo(snapshots);
        }
    }

    @Test
    void aTruncatedBlockIsRefusedNotMisread() {
        List<Snapshot> day = day(4).subList(0, 360);
        CounterBlock.Encoded block = CounterBlock.encode(day);
        byte[] cut = Arrays.copyOf(block.streams(), block.streams().length / 2);
        assertThatThrownBy(() -> CounterBlock.decode(1, cut, block.stateFrom(), block.states()))
                .isInstanceOf(IllegalStateException.class);
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
