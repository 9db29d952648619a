package org.vfzone.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CPU time spent by the server and by PostgreSQL over a benchmark phase, independent of how busy the machine is.
 * The server is this JVM less the load generator's threads (the simulated collectors add their own CPU time when
 * they end; the JDK HTTP client's threads are read live); PostgreSQL is its processes' user and system time from
 * {@code /proc}. Garbage collection and the JIT compiler
 * count as the server's. pg_ctl leaves the server to the init process, so every {@code postgres} process of the
 * machine counts: run benchmarks with no other PostgreSQL at work.
 */
final class CpuMeter {

    /** What the simulated collectors' threads spent, added by each as it ends. */
    final AtomicLong clientThreadNanos = new AtomicLong();

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final long TICK_NANOS = 1_000_000_000L / clockTicks();

    private long processStart;
    private long clientStart;
    private long postgresStart;

    record Spent(long serverNanos, long postgresNanos) {
    }

    void start() {
        processStart = processCpuNanos();
        clientStart = httpClientThreadNanos();
        clientThreadNanos.set(0);
        postgresStart = postgresNanos();
    }

    Spent stop() {
        long process = processCpuNanos() - processStart;
        long client = httpClientThreadNanos() - clientStart + clientThreadNanos.get();
        return new Spent(process - client, postgresNanos() - postgresStart);
    }

    /** Call at the end of a load generator's thread started after {@link #start}. */
    void addCurrentThread() {
        clientThreadNanos.addAndGet(THREADS.getCurrentThreadCpuTime());
    }

    /** CPU time the calling thread has spent so far. */
    static long threadNanos() {
        return THREADS.getCurrentThreadCpuTime();
    }

    /** Counts CPU time a load generator spent on a thread that also does other work. */
    void addClientNanos(long nanos) {
        clientThreadNanos.addAndGet(nanos);
    }

    static boolean postgresVisible() {
        return postgresNanos() > 0;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static long httpClientThreadNanos() {
        long total = 0;
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("HttpClient-")) {
                long nanos = THREADS.getThreadCpuTime(info.getThreadId());
                total += Math.max(0, nanos);
            }
        }
        return total;
    }

    private static long postgresNanos() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false))
                .mapToLong(p -> {
                    try {
                        String stat = Files.readString(Path.of("/proc", String.valueOf(p.pid()), "stat"));
                        // fields after the command's closing parenthesis: state is field 3, utime 14, stime 15
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * TICK_NANOS;
                    } catch (IOException | RuntimeException gone) {
                        return 0;
                    }
                }).sum();
    }

    private static long clockTicks() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").start();
            return Long.parseLong(new String(getconf.getInputStream().readAllBytes()).strip());
        } catch (IOException | RuntimeException e) {
            return 100;
        }
    }
}
