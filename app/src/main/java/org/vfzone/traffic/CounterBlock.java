package org.vfzone.traffic;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import fi.iki.yak.ts.compression.gorilla.GorillaDecompressor;
import fi.iki.yak.ts.compression.gorilla.LongArrayInput;
import fi.iki.yak.ts.compression.gorilla.Pair;
import fi.iki.yak.ts.compression.gorilla.Predictor;
import fi.iki.yak.ts.compression.gorilla.ValueDecompressor;
import org.vfzone.collector.FcCounter;

/**
 * One initiator's snapshots of one hour, compacted. Lossless: decoding gives back exactly the snapshots encoded,
 * microsecond timestamps, absent counters and port states included.
 *
 * <p>Version 2 (written now): version byte, sample count, a bit mask of the counters present, then one bit stream with
 * the timestamps in microseconds and each counter present as columns, each coded by {@link SeriesCodec} with the
 * predictor that suits it in this block.
 *
 * <p>Version 1 (written until December 2026, still read): as in Facebook's Gorilla paper, a timestamp stream
 * (delta-of-delta milliseconds, the microseconds within the millisecond as a value) and one value stream per counter,
 * each value XOR-ed with a linear prediction from the two before it; each stream as its length in 64-bit words and
 * the words.
 */
final class CounterBlock {

    private static final byte GORILLA = 1;
    private static final byte VERSION = 2;
    /** A counter the HBA did not report in one snapshot. sysfs uses all ones for "unsupported" too; it is never a value. */
    private static final long ABSENT = -1L;

    /** The encoded form: the streams and the port state runs. */
    record Encoded(int samples, Instant firstTs, Instant lastTs, byte[] streams, List<Integer> stateFrom,
                   List<String> states) {
    }

    private CounterBlock() {
    }

    /** Encodes one initiator's snapshots, in time order, no timestamp twice. */
    static Encoded encode(List<Snapshot> snapshots) {
        int counters = FcCounter.ALL.size();
        int present = present(snapshots);
        // column 0: the timestamps; column 1 + c: counter c where present
        long[][] columns = new long[1 + counters][];
        columns[0] = new long[snapshots.size()];
        for (int c = 0; c < counters; c++) {
            if ((present & 1 << c) != 0) {
                columns[1 + c] = new long[snapshots.size()];
            }
        }
        StateRuns runs = stateRuns(snapshots);
        for (int i = 0; i < snapshots.size(); i++) {
            Snapshot s = snapshots.get(i);
            columns[0][i] = micros(s.ts());
            for (int c = 0; c < counters; c++) {
                if (columns[1 + c] != null) {
                    Long value = s.counters()[c];
                    columns[1 + c][i] = value == null ? ABSENT : value;
                }
            }
        }
        SeriesCodec.BitWriter bits = new SeriesCodec.BitWriter(snapshots.size() * 16);
        for (int column = 0; column < columns.length; column++) {
            if (columns[column] != null) {
                SeriesCodec.write(bits, columns, column);
            }
        }
        byte[] stream = bits.toByteArray();
        ByteBuffer buffer = ByteBuffer.allocate(1 + 4 + 4 + stream.length);
        buffer.put(VERSION).putInt(snapshots.size()).putInt(present).put(stream);
        return runs.encoded(snapshots, buffer.array());
    }

    /** Where each run of one port state starts, and its state. */
    record StateRuns(List<Integer> from, List<String> states) {

        /** The block's record of its streams, with its first and last time and these runs. */
        Encoded encoded(List<Snapshot> snapshots, byte[] streams) {
            return new Encoded(snapshots.size(), snapshots.get(0).ts(), snapshots.get(snapshots.size() - 1).ts(),
                    streams, from, states);
        }
    }

    /** The port-state runs of a block's snapshots; refuses snapshots out of time order or there twice. */
    static StateRuns stateRuns(List<Snapshot> snapshots) {
        List<Integer> from = new ArrayList<>();
        List<String> states = new ArrayList<>();
        for (int i = 0; i < snapshots.size(); i++) {
            Snapshot s = snapshots.get(i);
            if (i > 0 && !s.ts().isAfter(snapshots.get(i - 1).ts())) {
                throw new IllegalArgumentException("snapshots of a block must be in time order, each once");
            }
            if (states.isEmpty() || !Objects.equals(states.get(states.size() - 1), s.portState())) {
                from.add(i);
                states.add(s.portState());
            }
        }
        return new StateRuns(from, states);
    }

    /** A bit mask of the counters any of the snapshots holds (a block keeps only those); refuses an empty block. */
    static int present(List<Snapshot> snapshots) {
        if (snapshots.isEmpty()) {
            throw new IllegalArgumentException("a block holds at least one snapshot");
        }
        int present = 0;
        for (Snapshot s : snapshots) {
            for (int c = 0; c < FcCounter.ALL.size(); c++) {
                if (s.counters()[c] != null) {
                    present |= 1 << c;
                }
            }
        }
        return present;
    }

    private static long micros(Instant ts) {
        if (ts.getNano() % 1000 != 0) {
            throw new IllegalArgumentException("timestamps are kept to the microsecond, as PostgreSQL stores them");
        }
        return Math.addExact(Math.multiplyExact(ts.getEpochSecond(), 1_000_000L), ts.getNano() / 1000);
    }

    /** The snapshots of a block, in time order. */
    static List<Snapshot> decode(long initiator, byte[] streams, List<Integer> stateFrom, List<String> states) {
        ByteBuffer buffer = ByteBuffer.wrap(streams);
        byte version = buffer.get();
        if (version != VERSION && version != GORILLA) {
            throw new IllegalStateException("traffic block of an unknown version " + version);
        }
        int samples = buffer.getInt();
        int present = buffer.getInt();
        int counters = FcCounter.ALL.size();
        if (version == VERSION) {
            return decode(initiator, buffer, samples, present, stateFrom, states);
        }
        GorillaDecompressor time = new GorillaDecompressor(new LongArrayInput(words(buffer)));
        ValueDecompressor[] values = new ValueDecompressor[counters];
        for (int c = 0; c < counters; c++) {
            if ((present & 1 << c) != 0) {
                values[c] = new ValueDecompressor(new LongArrayInput(words(buffer)), new LinearPredictor());
            }
        }
        List<Snapshot> snapshots = new ArrayList<>(samples);
        int run = 0;
        for (int i = 0; i < samples; i++) {
            Pair t = time.readPair();
            Instant ts = Instant.ofEpochMilli(t.getTimestamp()).plusNanos(t.getLongValue() * 1000);
            Long[] row = new Long[counters];
            for (int c = 0; c < counters; c++) {
                if (values[c] != null) {
                    long value = i == 0 ? values[c].readFirst() : values[c].nextValue();
                    row[c] = value == ABSENT ? null : value;
                }
            }
            while (run + 1 < stateFrom.size() && stateFrom.get(run + 1) <= i) {
                run++;
            }
            snapshots.add(new Snapshot(initiator, ts, row, states.isEmpty() ? null : states.get(run)));
        }
        return snapshots;
    }

    private static List<Snapshot> decode(long initiator, ByteBuffer buffer, int samples, int present,
                                         List<Integer> stateFrom, List<String> states) {
        int counters = FcCounter.ALL.size();
        SeriesCodec.BitReader bits = new SeriesCodec.BitReader(buffer);
        long[][] columns = new long[1 + counters][];
        columns[0] = SeriesCodec.read(bits, samples, columns);
        for (int c = 0; c < counters; c++) {
            if ((present & 1 << c) != 0) {
                columns[1 + c] = SeriesCodec.read(bits, samples, columns);
            }
        }
        List<Snapshot> snapshots = new ArrayList<>(samples);
        int run = 0;
        for (int i = 0; i < samples; i++) {
            long micros = columns[0][i];
            Instant ts = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                    Math.floorMod(micros, 1_000_000L) * 1000);
            Long[] row = new Long[counters];
            for (int c = 0; c < counters; c++) {
                if (columns[1 + c] != null) {
                    long value = columns[1 + c][i];
                    row[c] = value == ABSENT ? null : value;
                }
            }
            while (run + 1 < stateFrom.size() && stateFrom.get(run + 1) <= i) {
                run++;
            }
            snapshots.add(new Snapshot(initiator, ts, row, states.isEmpty() ? null : states.get(run)));
        }
        return snapshots;
    }

    private static long[] words(ByteBuffer buffer) {
        long[] words = new long[buffer.getInt()];
        for (int i = 0; i < words.length; i++) {
            words[i] = buffer.getLong();
        }
        return words;
    }

    /**
     * Predicts a counter's next value from its last step: XOR against it leaves only the change of the rate. The
     * library's decoder does not report a value equal to the prediction back through {@link #update} (harmless for
     * its last-value predictor, not for this one), so a prediction that is not followed by an update counts as the
     * value when the next prediction is asked for.
     */
    static final class LinearPredictor implements Predictor {
        private long last;
        private long step;
        private boolean seen;
        private boolean predictionUnconfirmed;
        private long prediction;

        @Override
        public void update(long value) {
            predictionUnconfirmed = false;
            advance(value);
        }

        @Override
        public long predict() {
            if (predictionUnconfirmed) {
                advance(prediction);
            }
            prediction = last + step;
            predictionUnconfirmed = true;
            return prediction;
        }

        private void advance(long value) {
            if (seen) {
                step = value - last;
            }
            last = value;
            seen = true;
        }
    }
}
