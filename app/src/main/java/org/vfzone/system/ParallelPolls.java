package org.vfzone.system;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls of several sources (switches, vCenters) at once, each on a thread of a small pool of its own: a slow or
 * unreachable source holds one thread, never the others. A poll that fails is logged with its source and does not
 * stop the rest; the caller waits for all, at most a bound, and a poll still running then is left to finish on its
 * own (each request it makes has its own timeout).
 */
public final class ParallelPolls implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ParallelPolls.class);

    private final String what;
    private final ExecutorService pool;

    /** {@code what} names the sources in logs and threads, e.g. "vcenter-poll". */
    public ParallelPolls(String what, int threads) {
        this.what = what;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(Math.max(1, threads), runnable -> {
            Thread thread = new Thread(runnable, what + "-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Polls every source, waiting at most {@code wait} for all of them. */
    public <T> void pollEach(List<T> sources, Function<T, String> name, Consumer<T> poll, Duration wait) {
        List<Future<?>> running = new ArrayList<>(sources.size());
        for (T source : sources) {
            running.add(pool.submit(() -> {
                try {
                    poll.accept(source);
                } catch (RuntimeException e) {
                    log.warn("{} of {} failed: {}", what, name.apply(source), e.getMessage());
                }
            }));
        }
        long deadline = System.nanoTime() + wait.toNanos();
        for (Future<?> each : running) {
            try {
                each.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                log.debug("A {} did not finish in time: {}", what, e.toString());
            }
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
