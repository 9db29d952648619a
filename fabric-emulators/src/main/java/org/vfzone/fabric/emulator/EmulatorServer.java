package org.vfzone.fabric.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * An emulated switch's HTTP side on loopback: counts requests, applies the {@link FaultPlan}, and hands the rest to
 * the vendor logic under one lock (a switch serializes its zoning database).
 */
public abstract class EmulatorServer implements AutoCloseable {

    /** What the vendor logic answers. */
    public record Reply(int status, String contentType, String body, Map<String, String> headers) {
        public static Reply of(int status, String contentType, String body) {
            return new Reply(status, contentType, body, Map.of());
        }
    }

    static {
        // The JDK's HTTP server leaves Nagle's algorithm on unless told otherwise, process-wide and before its first
        // use: a reply written as headers, then body, then waits for the client's delayed ACK (~40 ms a request).
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "switch-emulator");
        thread.setDaemon(true);
        return thread;
    });
    private final FaultPlan faults = new FaultPlan();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile Duration hang = Duration.ofSeconds(30);

    protected EmulatorServer(int port) {
        this(port, null);
    }

    /** With {@code tls}, the emulator answers https with that context's certificate, as a switch's web server does. */
    protected EmulatorServer(int port, SSLContext tls) {
        try {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            if (tls == null) {
                server = HttpServer.create(address, 50);
            } else {
                HttpsServer https = HttpsServer.create(address, 50);
                https.setHttpsConfigurator(new HttpsConfigurator(tls));
                server = https;
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot start switch emulator", e);
        }
        server.createContext("/", this::exchange);
        server.setExecutor(executor);
        server.start();
    }

    public URI baseUrl() {
        return URI.create((server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:"
                + server.getAddress().getPort());
    }

    public FaultPlan faults() {
        return faults;
    }

    /** Requests received since start (or the last {@link #resetRequestCount()}). */
    public int requestCount() {
        return requests.get();
    }

    public void resetRequestCount() {
        requests.set(0);
    }

    private final List<String> received = new CopyOnWriteArrayList<>();

    /** Every request received, as "METHOD path?query body", in order. */
    public List<String> requestLog() {
        return List.copyOf(received);
    }

    /** Released when the emulator closes, so hanging answers end with it. */
    private final CountDownLatch closed = new CountDownLatch(1);

    private volatile Duration late = Duration.ofSeconds(2);

    /** How long a {@link Fault#PROCESS_LATE} request waits before the switch runs it. */
    public void lateBy(Duration duration) {
        this.late = duration;
    }

    /** The longest a hanging answer hangs; it ends earlier when the emulator closes. */
    public void hangFor(Duration duration) {
        this.hang = duration;
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    /** Vendor logic: answer one request. Called under the switch lock. */
    protected abstract Reply handle(String method, URI uri, Map<String, String> headers, String body);

    /** Vendor logic: what another administrator's commit does. Called under the switch lock. */
    protected abstract void concurrentChange();

    /** Vendor logic: another administrator opens a zone transaction or session and keeps it. Under the switch lock. */
    protected abstract void foreignTransaction();

    /** Vendor error body for an injected failure. */
    protected abstract Reply injectedFailure(int status, String message);

    private void exchange(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        URI uri = exchange.getRequestURI();
        String method = exchange.getRequestMethod();
        received.add((method + " " + uri + " " + body).strip());
        Optional<Fault> fault = faults.match(method, uri.toString(), body);
        if (fault.isPresent()) {
            switch (fault.get()) {
                case FAIL -> {
                    send(exchange, injectedFailure(500, "Injected failure"));
                    return;
                }
                case UNAVAILABLE -> {
                    send(exchange, injectedFailure(503, "Service Unavailable"));
                    return;
                }
                case HANG -> {
                    sleep(hang);
                    exchange.close();
                    return;
                }
                case DROP_CONNECTION -> {
                    exchange.close();
                    return;
                }
                case PROCESS_LATE -> sleep(late); // then processed below, and the answer withheld
                case CONCURRENT_CHANGE -> {
                    synchronized (this) {
                        concurrentChange();
                    }
                }
                case FOREIGN_TRANSACTION -> {
                    synchronized (this) {
                        foreignTransaction();
                    }
                }
                default -> {
                    // processed below, then the answer is withheld
                }
            }
        }
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.get(0)));
        Reply reply;
        synchronized (this) {
            reply = handle(method, uri, headers, body);
        }
        if (fault.isPresent() && fault.get() == Fault.HANG_AFTER_PROCESSING) {
            sleep(hang);
            exchange.close();
            return;
        }
        if (fault.isPresent() && (fault.get() == Fault.DROP_AFTER_PROCESSING || fault.get() == Fault.PROCESS_LATE)) {
            exchange.close();
            return;
        }
        send(exchange, reply);
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        if (reply.contentType() != null) {
            exchange.getResponseHeaders().add("Content-Type", reply.contentType());
        }
        byte[] bytes = reply.body() == null ? new byte[0] : reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    private void sleep(Duration duration) {
        try {
            closed.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
