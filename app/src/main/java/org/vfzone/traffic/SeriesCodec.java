package org.vfzone.traffic;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Version 2 of the compacted series: the columns of a block (its timestamps in microseconds, then each counter) one
 * after the other in one bit stream. Each column is predicted, and only its differences from the prediction are
 * written. Per column and block, the encoder takes whichever predictor costs fewest bits:
 * <ul>
 * <li>{@code LINEAR}: the last value plus the last step (a counter growing at a steady rate);</li>
 * <li>{@code STEADY}: the last value plus the block's median step (a timer that fires every 10 s with some jitter);</li>
 * <li>{@code GUIDED}: the last value plus an earlier column's step now, scaled by the ratio of the two columns'
 * steps over the last one or the last sixteen intervals — requests, megabytes, frames and words of one direction
 * move together, so each costs only what its ratio to the others changed.</li>
 * </ul>
 * Differences are zigzag-encoded (unlike an XOR, a difference of 1 costs a bit and not the width of a carry) and
 * written in whichever of two codes is shorter for the column: Rice's code with the column's parameter (steady noise),
 * or an adaptive code for bursts — {@code 0} and the length of the run of zero differences it starts (Elias gamma),
 * {@code 10} and the value in the column's current bit length when it fits with no more than six bits to spare, or
 * {@code 11}, a new bit length in six bits and the value. The first value of a column is written whole. Lossless for
 * any long values.
 */
final class SeriesCodec {

    private static final int KIND_BITS = 2;
    private static final int GUIDE_BITS = 4;
    private static final int LENGTH_BITS = 6;
    /** A Rice-coded difference whose high part reaches this is written whole instead. */
    private static final int RICE_ESCAPE = 24;
    /** The longer window a guided column's ratio is taken over. */
    private static final int WINDOW = 16;

    enum Kind { LINEAR, STEADY, GUIDED_LAST, GUIDED_WINDOW }

    /** How one column is predicted: the kind, the median step of STEADY, the guiding column of GUIDED_*. */
    record Predictor(Kind kind, long steadyStep, int guide) {

        static final Predictor LINEAR = new Predictor(Kind.LINEAR, 0, -1);

        long predict(long[] column, int i, long[][] columns) {
            long last = column[i - 1];
            if (i == 1) {
                return kind == Kind.STEADY ? last + steadyStep : last;
            }
            long step = column[i - 1] - column[i - 2];
            return switch (kind) {
                case LINEAR -> last + step;
                case STEADY -> last + steadyStep;
                case GUIDED_LAST -> guided(column, i, columns[guide], 1);
                case GUIDED_WINDOW -> guided(column, i, columns[guide], Math.min(WINDOW, i - 1));
            };
        }

        /** The column's step now as the guide's step now times their ratio over the last {@code window} steps. */
        private static long guided(long[] column, int i, long[] guide, int window) {
            long guideBefore = guide[i - 1] - guide[i - 1 - window];
            long ownBefore = column[i - 1] - column[i - 1 - window];
            if (guideBefore == 0) {
                return column[i - 1] + (column[i - 1] - column[i - 2]);
            }
            // Java's double arithmetic is the same on every machine: the reader predicts exactly as the writer did
            return column[i - 1] + Math.round((guide[i] - guide[i - 1]) * ((double) ownBefore / guideBefore));
        }
    }

    private SeriesCodec() {
    }

    /**
     * Writes a column with the predictor and the code that cost fewest bits among those it may use (guides: earlier
     * columns).
     */
    static void write(BitWriter bits, long[][] columns, int column) {
        long[] values = columns[column];
        // the predictor whose differences are smallest (their bit lengths summed, a pass each), then the shorter of
        // the two codes for those differences
        Predictor best = null;
        long bestEstimate = Long.MAX_VALUE;
        for (Predictor candidate : candidates(columns, column)) {
            long estimate = estimate(values, candidate, columns, bestEstimate);
            if (estimate < bestEstimate) {
                best = candidate;
                bestEstimate = estimate;
            }
        }
        long[] bestDifferences = differences(values, best, columns);
        int bestRice = riceParameter(bestDifferences);
        if (adaptive(null, bestDifferences) <= rice(null, bestDifferences, bestRice)) {
            bestRice = -1;
        }
        bits.write(best.kind().ordinal(), KIND_BITS);
        if (best.kind() == Kind.STEADY) {
            bits.write(best.steadyStep(), 64);
        } else if (best.kind() != Kind.LINEAR) {
            bits.write(best.guide(), GUIDE_BITS);
        }
        bits.write(values[0], 64);
        if (bestRice < 0) {
            bits.write(0, 1);
            adaptive(bits, bestDifferences);
        } else {
            bits.write(1, 1);
            bits.write(bestRice, LENGTH_BITS);
            rice(bits, bestDifferences, bestRice);
        }
    }

    /** Reads a column of {@code samples} values; {@code columns} holds the earlier columns, already read. */
    static long[] read(BitReader bits, int samples, long[][] columns) {
        Kind kind = Kind.values()[(int) bits.read(KIND_BITS)];
        Predictor predictor = switch (kind) {
            case LINEAR -> Predictor.LINEAR;
            case STEADY -> new Predictor(kind, bits.read(64), -1);
            case GUIDED_LAST, GUIDED_WINDOW -> {
                int guide = (int) bits.read(GUIDE_BITS);
                if (guide >= columns.length || columns[guide] == null) {
                    throw new IllegalStateException("a traffic block's column is guided by one not read before it");
                }
                yield new Predictor(kind, 0, guide);
            }
        };
        long[] values = new long[samples];
        values[0] = bits.read(64);
        long[] differences = bits.readBit() ? readRice(bits, samples - 1, (int) bits.read(LENGTH_BITS))
                : readAdaptive(bits, samples - 1);
        for (int i = 1; i < samples; i++) {
            long zigzag = differences[i - 1];
            values[i] = predictor.predict(values, i, columns) + ((zigzag >>> 1) ^ -(zigzag & 1));
        }
        return values;
    }

    /** The bit lengths of a predictor's differences, summed; stops early once past {@code enough}. */
    private static long estimate(long[] values, Predictor predictor, long[][] columns, long enough) {
        long bits = 0;
        for (int i = 1; i < values.length && bits < enough; i++) {
            long difference = values[i] - predictor.predict(values, i, columns);
            bits += 65 - Long.numberOfLeadingZeros((difference << 1) ^ (difference >> 63));
        }
        return bits;
    }

    /** Each value's difference from its prediction, zigzag-encoded (small either way round: small numbers). */
    private static long[] differences(long[] values, Predictor predictor, long[][] columns) {
        long[] differences = new long[values.length - 1];
        for (int i = 1; i < values.length; i++) {
            long difference = values[i] - predictor.predict(values, i, columns);
            differences[i - 1] = (difference << 1) ^ (difference >> 63);
        }
        return differences;
    }

    /**
     * The adaptive code (for bursts: a few large differences among zeros). Writes it, or only counts its bits when
     * {@code bits} is null.
     */
    private static long adaptive(BitWriter bits, long[] differences) {
        long cost = 0;
        int length = 0;
        for (int i = 0; i < differences.length; ) {
            long zigzag = differences[i];
            if (zigzag == 0) {
                int run = 1;
                while (i + run < differences.length && differences[i + run] == 0) {
                    run++;
                }
                cost += put(bits, 0, 1) + gamma(bits, run);
                i += run;
                continue;
            }
            int needed = 64 - Long.numberOfLeadingZeros(zigzag);
            if (needed <= length && length - needed <= LENGTH_BITS) {
                cost += put(bits, 0b10, 2) + put(bits, zigzag, length);
            } else {
                length = needed;
                cost += put(bits, 0b11, 2) + put(bits, needed - 1, LENGTH_BITS) + put(bits, zigzag, needed);
            }
            i++;
        }
        return cost;
    }

    private static long[] readAdaptive(BitReader bits, int count) {
        long[] differences = new long[count];
        int length = 0;
        for (int i = 0; i < count; ) {
            if (!bits.readBit()) {
                long run = readGamma(bits);
                if (run > count - i) {
                    throw new IllegalStateException("a traffic block's run of predicted values passes its end");
                }
                i += (int) run; // zeros already
                continue;
            }
            if (bits.readBit()) {
                length = (int) bits.read(LENGTH_BITS) + 1;
            }
            differences[i++] = bits.read(length);
        }
        return differences;
    }

    /**
     * Rice's code with parameter {@code k} (for steady noise): the difference's high part in unary, then its low
     * {@code k} bits; a high part of {@link #RICE_ESCAPE} or more escapes to the whole 64 bits.
     */
    private static long rice(BitWriter bits, long[] differences, int k) {
        long cost = 0;
        for (long zigzag : differences) {
            long high = zigzag >>> k;
            // unsigned: a zigzag of a difference near the long range has its top bit set
            if (Long.compareUnsigned(high, RICE_ESCAPE) < 0) {
                cost += ones(bits, (int) high) + put(bits, 0, 1) + put(bits, zigzag, k);
            } else {
                cost += ones(bits, RICE_ESCAPE) + put(bits, zigzag, 64);
            }
        }
        return cost;
    }

    private static long[] readRice(BitReader bits, int count, int k) {
        long[] differences = new long[count];
        for (int i = 0; i < count; i++) {
            int high = 0;
            while (high < RICE_ESCAPE && bits.readBit()) {
                high++;
            }
            differences[i] = high == RICE_ESCAPE ? bits.read(64) : (long) high << k | bits.read(k);
        }
        return differences;
    }

    /** The Rice parameter near the differences' mean that costs fewest bits. */
    private static int riceParameter(long[] differences) {
        if (differences.length == 0) {
            return 0;
        }
        double mean = 0;
        for (long zigzag : differences) {
            mean += Math.max(0, (double) zigzag) / differences.length;
        }
        int guess = Math.max(0, 63 - Long.numberOfLeadingZeros(Math.max(1, (long) mean)));
        int best = guess;
        long bestCost = Long.MAX_VALUE;
        for (int k = Math.max(0, guess - 2); k <= Math.min(63, guess + 2); k++) {
            long cost = rice(null, differences, k);
            if (cost < bestCost) {
                best = k;
                bestCost = cost;
            }
        }
        return best;
    }

    private static int ones(BitWriter bits, int count) {
        for (int i = 0; i < count; i++) {
            put(bits, 1, 1);
        }
        return count;
    }

    private static Predictor[] candidates(long[][] columns, int column) {
        long[] values = columns[column];
        int guides = 0;
        for (int g = 0; g < column; g++) {
            guides += columns[g] == null ? 0 : 2;
        }
        Predictor[] candidates = new Predictor[2 + guides];
        candidates[0] = Predictor.LINEAR;
        candidates[1] = new Predictor(Kind.STEADY, medianStep(values), -1);
        int n = 2;
        for (int g = 0; g < column; g++) {
            if (columns[g] != null) {
                candidates[n++] = new Predictor(Kind.GUIDED_LAST, 0, g);
                candidates[n++] = new Predictor(Kind.GUIDED_WINDOW, 0, g);
            }
        }
        return candidates;
    }

    private static long medianStep(long[] values) {
        if (values.length < 2) {
            return 0;
        }
        long[] steps = new long[values.length - 1];
        for (int i = 1; i < values.length; i++) {
            steps[i - 1] = values[i] - values[i - 1];
        }
        Arrays.sort(steps);
        return steps[steps.length / 2];
    }

    /** Elias gamma code of n ≥ 1: as many zeros as n has bits after its first, then n. */
    private static int gamma(BitWriter bits, long n) {
        int width = 64 - Long.numberOfLeadingZeros(n);
        return put(bits, 0, width - 1) + put(bits, n, width);
    }

    private static long readGamma(BitReader bits) {
        int zeros = 0;
        while (!bits.readBit()) {
            if (++zeros > 62) {
                throw new IllegalStateException("a traffic block holds a run longer than any block");
            }
        }
        return zeros == 0 ? 1 : (1L << zeros) | bits.read(zeros);
    }

    private static int put(BitWriter bits, long value, int width) {
        if (bits != null && width > 0) {
            bits.write(value, width);
        }
        return width;
    }

    /** Bits, most significant first, into bytes. */
    static final class BitWriter {
        private byte[] bytes;
        private long bitCount;

        BitWriter(int expectedBytes) {
            bytes = new byte[Math.max(16, expectedBytes)];
        }

        /** The low {@code width} bits of {@code value} (1 to 64). */
        void write(long value, int width) {
            while (width > 0) {
                int index = (int) (bitCount >>> 3);
                if (index == bytes.length) {
                    bytes = Arrays.copyOf(bytes, bytes.length * 2);
                }
                int free = 8 - (int) (bitCount & 7);
                int take = Math.min(free, width);
                int chunk = (int) (value >>> (width - take)) & ((1 << take) - 1);
                bytes[index] |= (byte) (chunk << (free - take));
                width -= take;
                bitCount += take;
            }
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, (int) ((bitCount + 7) >>> 3));
        }
    }

    /** Reads what {@link BitWriter} wrote, from the buffer's position on; refuses to read past its end. */
    static final class BitReader {
        private final ByteBuffer bytes;
        private final int start;
        private long position;

        BitReader(ByteBuffer bytes) {
            this.bytes = bytes;
            this.start = bytes.position();
        }

        boolean readBit() {
            int index = start + (int) (position >>> 3);
            if (index >= bytes.limit()) {
                throw new IllegalStateException("a traffic block ends before its last snapshot");
            }
            boolean bit = (bytes.get(index) & 0x80 >>> (position & 7)) != 0;
            position++;
            return bit;
        }

        long read(int width) {
            long value = 0;
            while (width > 0) {
                int index = start + (int) (position >>> 3);
                if (index >= bytes.limit()) {
                    throw new IllegalStateException("a traffic block ends before its last snapshot");
                }
                int left = 8 - (int) (position & 7);
                int take = Math.min(left, width);
                int chunk = (bytes.get(index) >>> (left - take)) & ((1 << take) - 1);
                value = value << take | chunk;
                width -= take;
                position += take;
            }
            return value;
        }
    }
}
