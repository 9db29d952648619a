package org.vfzone.traffic;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The lines of one large batch on their way from the request's thread, which parses them, to a writer, which stores
 * them as they come. Bounded: a parser ahead of the database waits. Either side may stop, and the other hears of it:
 * the parser refuses the body ({@link #fail}), or the writer gives up ({@link #abandon}) and its answer says why.
 */
final class LineFeed {

    private final int capacity;
    private final Duration wait;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<List<SnapshotParser.Line>> chunks = new ArrayDeque<>();
    private boolean ended;
    private RuntimeException failure;
    private boolean abandoned;

    /**
     * @param capacity chunks parsed and not yet taken, at most
     * @param wait     how long either side waits for the other (the writer for a chunk, the parser for room) before
     *                 it gives the batch up
     */
    LineFeed(int capacity, Duration wait) {
        this.capacity = capacity;
        this.wait = wait;
    }

    /**
     * Hands a chunk to the writer, waiting while it is behind; false when the writer gave the batch up or took nothing
     * for longer than the wait.
     */
    boolean put(List<SnapshotParser.Line> chunk) {
        lock.lock();
        try {
            long left = wait.toNanos();
            while (chunks.size() >= capacity && !abandoned && left > 0) {
                left = changed.awaitNanos(left);
            }
            if (abandoned || chunks.size() >= capacity) {
                return false;
            }
            chunks.add(chunk);
            changed.signalAll();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** The parser has handed over every line. */
    void end() {
        changeAndSignal(() -> ended = true);
    }

    /** The parser refused the body: the writer stores none of it. */
    void fail(RuntimeException refusal) {
        changeAndSignal(() -> failure = refusal);
    }

    /** The writer stopped (the batch was not stored): the parser need not go on. */
    void abandon() {
        changeAndSignal(() -> {
            abandoned = true;
            chunks.clear();
        });
    }

    private void changeAndSignal(Runnable change) {
        lock.lock();
        try {
            change.run();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next chunk for the writer, null once the parser has handed over every line; throws the parser's refusal, or
     * when the parser gives nothing for longer than the wait.
     */
    List<SnapshotParser.Line> next() {
        lock.lock();
        try {
            long left = wait.toNanos();
            while (chunks.isEmpty() && !ended && failure == null) {
                if (left <= 0) {
                    throw new IllegalStateException("the batch's lines stopped coming; nothing of it was stored");
                }
                left = changed.awaitNanos(left);
            }
            if (failure != null) {
                throw failure;
            }
            List<SnapshotParser.Line> chunk = chunks.poll();
            changed.signalAll();
            return chunk;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the server is stopping", e);
        } finally {
            lock.unlock();
        }
    }
}
