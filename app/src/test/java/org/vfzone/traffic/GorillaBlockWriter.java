package org.vfzone.traffic;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import fi.iki.yak.ts.compression.gorilla.GorillaCompressor;
import fi.iki.yak.ts.compression.gorilla.LongArrayOutput;
import fi.iki.yak.ts.compression.gorilla.ValueCompressor;
import org.vfzone.collector.FcCounter;

/**
 * Writes a block as vfzone wrote them before version 2 (Gorilla streams, one per counter, each XOR-ed with a linear
 * prediction), so tests can prove such blocks, still on disk after an upgrade, read back exactly.
 */
final class GorillaBlockWriter {

    private GorillaBlockWriter() {
    }

    static CounterBlock.Encoded encode(List<Snapshot> snapshots) {
        int counters = FcCounter.ALL.size();
        int present = CounterBlock.present(snapshots);
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
        CounterBlock.StateRuns runs = CounterBlock.stateRuns(snapshots);
        for (Snapshot s : snapshots) {
            if (s.ts().getNano() % 1000 != 0) {
                throw new IllegalArgumentException("timestamps are kept to the microsecond, as PostgreSQL stores them");
            }
            long millis = s.ts().toEpochMilli();
            time.addValue(millis, (long) (s.ts().getNano() % 1_000_000 / 1000));
            int stream = 0;
            for (int c = 0; c < counters; c++) {
                if ((present & 1 << c) != 0) {
                    Long value = s.counters()[c];
                    values.get(stream++).add(value == null ? -1L : value);
                }
            }
        }
        time.close();
        List<long[]> words = new ArrayList<>();
        words.add(times.getLongArray());
        outputs.forEach(out -> words.add(out.getLongArray()));
        int size = 1 + 4 + 4 + words.stream().mapToInt(w -> 4 + w.length * 8).sum();
        ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.put((byte) 1).putInt(snapshots.size()).putInt(present);
        for (long[] stream : words) {
            buffer.putInt(stream.length);
            for (long word : stream) {
                buffer.putLong(word);
            }
        }
        return runs.encoded(snapshots, buffer.array());
    }

    /**
     * The library's value encoding without a timestamp channel: the counters of a block share the timestamp stream,
     * so each counter costs only its XOR bits. The first value is written whole, as the library writes it.
     */
    static final class CounterStream extends ValueCompressor {
        private final LongArrayOutput out;
        private final CounterBlock.LinearPredictor predictor;
        private boolean first = true;

        CounterStream(LongArrayOutput out) {
            this(out, new CounterBlock.LinearPredictor());
        }

        private CounterStream(LongArrayOutput out, CounterBlock.LinearPredictor predictor) {
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

}
