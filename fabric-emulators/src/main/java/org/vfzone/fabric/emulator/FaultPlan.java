package org.vfzone.fabric.emulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Faults an emulator injects: "the Nth request whose method, path and body match, and the next {@code times - 1}
 * matching ones, get this fault". Thread-safe; tests arm it before they drive the client.
 */
public final class FaultPlan {

    private final List<Rule> rules = new ArrayList<>();
    private CountDownLatch fired = new CountDownLatch(1);

    private static final class Rule {
        final String method;
        final String pathPart;
        final String bodyPart;
        final int firstOccurrence;
        final int times;
        final Fault fault;
        int seen;

        Rule(String method, String pathPart, String bodyPart, int firstOccurrence, int times, Fault fault) {
            this.method = method;
            this.pathPart = pathPart;
            this.bodyPart = bodyPart;
            this.firstOccurrence = firstOccurrence;
            this.times = times;
            this.fault = fault;
        }
    }

    /**
     * Arms a fault.
     *
     * @param method          HTTP method to match, or null for any
     * @param pathPart        text the path (with query) must contain, or null
     * @param bodyPart        text the request body must contain, or null
     * @param firstOccurrence 1 for the first matching request
     * @param times           how many consecutive matching requests get it
     */
    public synchronized FaultPlan add(String method, String pathPart, String bodyPart, int firstOccurrence, int times,
                                      Fault fault) {
        rules.add(new Rule(method, pathPart, bodyPart, firstOccurrence, times, fault));
        return this;
    }

    public synchronized void clear() {
        rules.clear();
        fired = new CountDownLatch(1);
    }

    /**
     * Waits until an armed fault has been injected (the request it hit has arrived), so a test can act at exactly
     * that moment. False if none was within {@code limit}.
     */
    public boolean awaitFired(Duration limit) throws InterruptedException {
        CountDownLatch latch;
        synchronized (this) {
            latch = fired;
        }
        return latch.await(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    synchronized Optional<Fault> match(String method, String pathAndQuery, String body) {
        for (Rule rule : rules) {
            boolean matches = (rule.method == null || rule.method.equalsIgnoreCase(method))
                    && (rule.pathPart == null || pathAndQuery.contains(rule.pathPart))
                    && (rule.bodyPart == null || body.contains(rule.bodyPart));
            if (matches) {
                rule.seen++;
                if (rule.seen >= rule.firstOccurrence && rule.seen < rule.firstOccurrence + rule.times) {
                    fired.countDown();
                    return Optional.of(rule.fault);
                }
            }
        }
        return Optional.empty();
    }
}
