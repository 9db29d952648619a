package org.vfzone.traffic;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import fi.iki.yak.ts.compression.gorilla.GorillaCompressor;
import fi.iki.yak.ts.compression.gorilla.GorillaDecompressor;
import fi.iki.yak.ts.compression.gorilla.LongArrayInput;
import fi.iki.yak.ts.compression.gorilla.LongArrayOutput;
import fi.iki.yak.ts.compression.gorilla.Pair;
import fi.iki.yak.ts.compression.gorilla.Predictor;
import fi.iki.yak.ts.compression.gorilla.ValueCompressor;
import fi.iki.yak.ts.compression.gorilla.ValueDecompressor;
import org.vfzone.collector.FcCounter;

/**
 * One initiator's snapshots of one day, compacted as in Facebook's Gorilla paper: a timestamp stream (delta-of-delta
 * milliseconds, the microseconds within the millisecond as a value) and one value stream per counter the HBA reported
 * (no timestamps of its own), each value XOR-ed with a linear prediction from the two before it — a counter that grows at a steady rate costs a few bits
 * per snapshot, an error counter that stays put one bit. Lossless: decoding gives back exactly the snapshots
 * encoded, microsecond timestamps and port states included.
 *
 * <p>Layout: version byte, sample count, a bit mask of the counters present, then each stream as its length in
 * 64-bit words and the words.
 */
final class CounterBlock {

    private static final byte VERSION = 1;
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
        if (snapshots.isEmpty()) {
            throw new IllegalArgumentException("a block holds at least one snapshot");
        }
        int counters = FcCounter.ALL.size();
        int present = 0;
        for (Snapshot s : snapshots) {
            for (int c = 0; c < counters; c++) {
                if (s.counters()[c] != null) {
                    present |= 1 << c;
                }
            }
        }
        long firstMillis = snapshots.get(0).ts().toEpochMilli();
        LongArrayOutput times = new LongArrayOutput(Math.max(16, snapshots.size() / 8));
        GorillaCompressor time = new GorillaCompressor(firstMillis, times);
        List<LongArrayOutput> outputs = new ArrayList<>();
        List<CounterStream> values = new ArrayList<>();
        for (int c = 0; c < counters; c++) {
            if ((present & 1 << c) != 0) {
                LongArrayOutput out = new LongArrayOutput(Math.max(16, snapshots.size() / 4));
                outputs.add(out);
                values.add(new CounterStream(out));
            }
        }
        List<Integer> stateFrom = new ArrayList<>();
        List<String> states = new ArrayList<>();
        Instant previous = null;
        for (int i = 0; i < snapshots.size(); i++) {
            Snapshot s = snapshots.get(i);
            if (previous != null && !s.ts().isAfter(previous)) {
                throw new IllegalArgumentException("snapshots of a block must be in time order, each once");
            }
            previous = s.ts();
            if (s.ts().getNano() % 1000 != 0) {
                throw new IllegalArgumentException("timestamps are kept to the microsecond, as PostgreSQL stores them");
            }
            long millis = s.ts().toEpochMilli();
            time.addValue(millis, (long) (s.ts().getNano() % 1_000_000 / 1000));
            int stream = 0;
            for (int c = 0; c < counters; c++) {
                if ((present & 1 << c) != 0) {
                    Long value = s.counters()[c];
                    values.get(stream++).add(value == null ? ABSENT : value);
                }
            }
            if (states.isEmpty() || !Objects.equals(states.get(states.size() - 1), s.portState())) {
                stateFrom.add(i);
                states.add(s.portState());
            }
        }
        time.close();
        List<long[]> words = new ArrayList<>();
        words.add(times.getLongArray());
        outputs.forEach(out -> words.add(out.getLongArray()));
        int size = 1 + 4 + 4 + words.stream().mapToInt(w -> 4 + w.length * 8).sum();
        ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.put(VERSION).putInt(snapshots.size()).putInt(present);
        for (long[] stream : words) {
            buffer.putInt(stream.length);
            for (long word : stream) {
                buffer.putLong(word);
            }
        }
        return new Encoded(snapshots.size(), snapshots.get(0).ts(), previous, buffer.array(), stateFrom, states);
    }

    /** The snapshots of a block, in time order. */
    static List<Snapshot> decode(long initiator, byte[] streams, List<Integer> stateFrom, List<String> states) {
        ByteBuffer buffer = ByteBuffer.wrap(streams);
        byte version = buffer.get();
        if (version != VERSION) {
            throw new IllegalStateException("traffic block of an unknown version " + version);
        }
        int samples = buffer.getInt();
        int present = buffer.getInt();
        int counters = FcCounter.ALL.size();
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

    private static long[] words(ByteBuffer buffer) {
        long[] words = new long[buffer.getInt()];
        for (int i = 0; i < words.length; i++) {
            words[i] = buffer.getLong();
        }
        return words;
    }

    /**
     * The library's value encoding without a timestamp channel: the counters of a block share the timestamp stream,
     * so each counter costs only its XOR bits. The first value is written whole, as the library writes it.
     */
    static final class CounterStream extends ValueCompressor {
        private final LongArrayOutput out;
        private final LinearPredictor predictor;
        private boolean first = true;

        CounterStream(LongArrayOutput out) {
            this(out, new LinearPredictor());
        }

        private CounterStream(LongArrayOutput out, LinearPredictor predictor) {
            super(out, predictor);
            this.out = out;
            this.predictor = predictor;
        }

        void add(long value) {
            if (first) {
                predictor.update(value);
                out.writeBits(value, 64);
                first = false;
            } else {
                compressValue(value);
            }
        }
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
