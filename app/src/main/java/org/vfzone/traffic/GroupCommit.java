package org.vfzone.traffic;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Group commit: the batches of concurrent requests are stored in one transaction — one connection, one commit — by
 * a few writer threads, each taking what waits within {@code vfzone.traffic.group-wait}. Each request keeps its own
 * savepoint (a batch refused whole does not touch the others) and its own per-line result, and is answered only
 * after the commit that holds its rows: nothing acknowledged is lost, and a crash before the commit acknowledges
 * nothing. Batches of one initiator may share a group: snapshots are stored as reported and a snapshot sent twice
 * counts once. A group already large does not wait for more. A large NDJSON batch is stored on its own while it is
 * parsed (see {@link #storeStreamed}). The queue is bounded; when it is full a request is answered 503 with
 * Retry-After.
 */
@Component
class GroupCommit implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    /**
     * A batch waiting for a writer, and where its answer goes: its parsed lines, or (a large batch) the feed its lines
     * come through while they are parsed.
     */
    record Pending(List<SnapshotParser.Line> lines, LineFeed feed,
                   CompletableFuture<TrafficIngestService.Result> answer) {
    }

    /** Chunks of a streamed batch parsed ahead of its writer, at most. */
    static final int FEED_CHUNKS = 4;

    /** Snapshots in a group beyond which waiting for more requests only adds latency. */
    static final int LARGE_GROUP = 5_000;

    private final TrafficIngestService ingest;
    private final TrafficProperties properties;
    private final BlockingQueue<Pending> queue;
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean stopped;

    GroupCommit(TrafficIngestService ingest, TrafficProperties properties) {
        this.ingest = ingest;
        this.properties = properties;
        this.queue = new ArrayBlockingQueue<>(properties.groupQueue());
        for (int i = 0; i < properties.concurrentStores(); i++) {
            Thread writer = new Thread(this::write, "ingest-writer-" + i);
            writer.setDaemon(true);
            writer.start();
            writers.add(writer);
        }
    }

    /** Whether batches wait for a writer in numbers ({@code vfzone.traffic.busy-queue}): collectors should batch. */
    boolean busy() {
        return queue.size() >= properties.busyQueue();
    }

    /** Stores the parsed batch in the next group and answers once that group committed. */
    TrafficIngestService.Result store(List<SnapshotParser.Line> lines) {
        return answer(enqueue(new Pending(lines, null, new CompletableFuture<>())));
    }

    /**
     * Stores a large batch while it is parsed: a writer takes it alone and copies each chunk the parser hands to the
     * feed, while this thread parses the next. The answer comes after the commit, as for any batch; a body the parser
     * refuses stores nothing.
     */
    TrafficIngestService.Result storeStreamed(Predicate<LineFeed> parse) {
        LineFeed feed = new LineFeed(FEED_CHUNKS, properties.storeWait());
        Pending pending = enqueue(new Pending(null, feed, new CompletableFuture<>()));
        boolean handedOver;
        try {
            handedOver = parse.test(feed);
        } catch (RuntimeException e) {
            feed.fail(e);
            throw e;
        }
        if (handedOver) {
            feed.end();
        } else {
            // the writer gave up (its answer says why) or took nothing for too long: none of the batch is stored
            feed.fail(new IllegalStateException("the batch was not handed over whole; nothing of it was stored"));
            if (!pending.answer().isDone()) {
                throw new IngestGate.Refused(HttpStatus.SERVICE_UNAVAILABLE, "The server is busy storing other "
                        + "batches; retry later", Duration.ofSeconds(10));
            }
        }
        return answer(pending);
    }

    private Pending enqueue(Pending pending) {
        if (stopped || !queue.offer(pending)) {
            throw new IngestGate.Refused(HttpStatus.SERVICE_UNAVAILABLE, "The server is busy storing other batches; "
                    + "retry later", Duration.ofSeconds(10));
        }
        return pending;
    }

    private TrafficIngestService.Result answer(Pending pending) {
        try {
            // bounded so a stuck database cannot hold the request forever; the batch may still commit after this
            return pending.answer().get(properties.storeWait().toMillis() + 60_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IngestGate.Refused(HttpStatus.SERVICE_UNAVAILABLE, "Storing took too long; the batch may or may "
                    + "not be stored: send it again (duplicates are dropped)", Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IngestGate.Refused(HttpStatus.SERVICE_UNAVAILABLE, "Interrupted; retry later",
                    Duration.ofSeconds(10));
        }
    }

    private void write() {
        // a streamed batch met while gathering a group: stored on its own after that group
        Pending carried = null;
        while (!stopped) {
            List<Pending> group = new ArrayList<>();
            try {
                Pending first = carried != null ? carried : queue.poll(1, TimeUnit.SECONDS);
                carried = null;
                if (first == null) {
                    continue;
                }
                if (first.feed() != null) {
                    storeStreamed(first);
                    continue;
                }
                group.add(first);
                int snapshots = first.lines().size();
                long until = System.nanoTime() + properties.groupWait().toNanos();
                while (group.size() < properties.maxGroup() && snapshots < LARGE_GROUP) {
                    long left = until - System.nanoTime();
                    Pending next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        break;
                    }
                    if (next.feed() != null) {
                        carried = next;
                        break;
                    }
                    group.add(next);
                    snapshots += next.lines().size();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                IllegalStateException stopping = new IllegalStateException("the server is stopping");
                group.forEach(p -> p.answer().completeExceptionally(stopping));
                break;
            }
            try {
                List<Object> outcomes = ingest.storeGroup(group.stream().map(Pending::lines).toList());
                for (int i = 0; i < group.size(); i++) {
                    Object outcome = outcomes.get(i);
                    if (outcome instanceof TrafficIngestService.Result result) {
                        group.get(i).answer().complete(result);
                    } else {
                        group.get(i).answer().completeExceptionally((RuntimeException) outcome);
                    }
                }
            } catch (RuntimeException e) {
                // the commit failed: nothing of the group is stored, and every request says so
                log.warn("A group of {} batches was not stored: {}", group.size(), e.getMessage());
                group.forEach(p -> p.answer().completeExceptionally(e));
            }
        }
        if (carried != null) {
            carried.answer().completeExceptionally(new IllegalStateException("the server is stopping"));
            carried.feed().abandon();
        }
    }

    private void storeStreamed(Pending pending) {
        try {
            pending.answer().complete(ingest.storeStreamed(pending.feed()));
        } catch (RuntimeException e) {
            // rolled back: nothing of the batch is stored; the request says why, and its parser stops
            pending.answer().completeExceptionally(e);
            pending.feed().abandon();
        }
    }

    @Override
    public void destroy() {
        stopped = true;
        writers.forEach(Thread::interrupt);
        // batches no writer took: their requests hear it now, and a parser still handing over lines stops
        for (Pending waiting = queue.poll(); waiting != null; waiting = queue.poll()) {
            waiting.answer().completeExceptionally(new IllegalStateException("the server is stopping"));
            if (waiting.feed() != null) {
                waiting.feed().abandon();
            }
        }
    }
}
