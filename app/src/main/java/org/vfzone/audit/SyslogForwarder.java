package org.vfzone.audit;

import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Forwards every committed audit record to a syslog server for the SIEM, as RFC 5424 messages over UDP (RFC 5426)
 * or TCP with octet counting (RFC 6587). On only when {@code vfzone.audit.syslog.host} is set. Sending happens on
 * its own thread with a bounded queue, so a slow or absent collector never delays a request; what cannot be queued
 * or sent is counted and logged, and the audit trail in the database stays complete either way.
 */
@Component
@ConditionalOnProperty(name = "vfzone.audit.syslog.host")
class SyslogForwarder {

    private static final Logger log = LoggerFactory.getLogger(SyslogForwarder.class);
    /** The private enterprise number space for structured data ids, as RFC 5424 asks ("name@number"). */
    static final String SD_ID = "vfzone@32473";

    private final InetSocketAddress collector;
    private final boolean tcp;
    private final int facility;
    private final String hostname;
    private final AtomicLong dropped = new AtomicLong();
    private final ThreadPoolExecutor sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(10_000), runnable -> {
                Thread thread = new Thread(runnable, "vfzone-syslog");
                thread.setDaemon(true);
                return thread;
            });
    private DatagramSocket udp;
    private Socket stream;

    SyslogForwarder(AuditProperties properties) {
        String host = properties.syslog().host();
        int port = properties.syslog().port();
        String protocol = properties.syslog().protocol();
        int facility = properties.syslog().facility();
        this.collector = new InetSocketAddress(host, port);
        this.tcp = protocol.equalsIgnoreCase("tcp");
        if (!tcp && !protocol.equalsIgnoreCase("udp")) {
            throw new IllegalArgumentException("vfzone.audit.syslog.protocol must be udp or tcp, not " + protocol);
        }
        if (facility < 0 || facility > 23) {
            throw new IllegalArgumentException("vfzone.audit.syslog.facility must be 0-23 (13: log audit)");
        }
        this.facility = facility;
        String name;
        try {
            name = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            name = "-";
        }
        this.hostname = printable(name, 255);
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void forward(AuditRecorded record) {
        byte[] message = format(record).getBytes(StandardCharsets.UTF_8);
        try {
            sender.execute(() -> send(message));
        } catch (RejectedExecutionException full) {
            log.warn("Syslog queue full: {} audit record(s) not forwarded so far", dropped.incrementAndGet());
        }
    }

    /** One RFC 5424 message: severity notice, the action as MSGID, who and what as structured data. */
    String format(AuditRecorded record) {
        int priority = facility * 8 + 5;
        return "<" + priority + ">1 " + DateTimeFormatter.ISO_INSTANT.format(record.at()) + " " + hostname
                + " vfzone - " + printable(record.action(), 32) + " [" + SD_ID + " actor=\"" + param(record.actor())
                + "\" object=\"" + param(record.objectType()) + "\"" + (record.objectId() == null ? ""
                : " objectId=\"" + record.objectId() + "\"") + "] \uFEFF" + oneLine(record.summary());
    }

    private void send(byte[] message) {
        try {
            if (tcp) {
                if (stream == null || stream.isClosed()) {
                    stream = new Socket();
                    stream.connect(collector, 5_000);
                }
                OutputStream out = stream.getOutputStream();
                out.write((message.length + " ").getBytes(StandardCharsets.US_ASCII));
                out.write(message);
                out.flush();
            } else {
                if (udp == null) {
                    udp = new DatagramSocket();
                }
                udp.send(new DatagramPacket(message, message.length, collector));
            }
        } catch (IOException e) {
            closeStream();
            log.warn("Audit record not forwarded to syslog {} ({} so far): {}", collector, dropped.incrementAndGet(),
                    e.getMessage());
        }
    }

    private void closeStream() {
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException ignored) {
                // already broken
            }
            stream = null;
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        sender.shutdown();
        sender.awaitTermination(5, TimeUnit.SECONDS);
        closeStream();
        if (udp != null) {
            udp.close();
        }
    }

    /** An SD-PARAM value: '"', '\\' and ']' escaped (RFC 5424, 6.3.3). */
    private static String param(String value) {
        return value == null ? "" : oneLine(value).replace("\\", "\\\\").replace("\"", "\\\"")
                .replace("]", "\\]");
    }

    /**
     * Receivers split records at line breaks: every control character (and U+2028/U+2029) is written as {@code #ooo},
     * its octal code, as rsyslog escapes control characters it receives, so one record stays one line.
     */
    static String oneLine(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(value.length());
        value.codePoints().forEach(c -> {
            if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
                out.append('#').append(String.format("%03o", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    /** A header field: printable US-ASCII only, at most {@code max} characters, "-" when empty. */
    private static String printable(String value, int max) {
        String kept = value == null ? "" : value.replaceAll("[^\\x21-\\x7e]", "_");
        kept = kept.length() > max ? kept.substring(0, max) : kept;
        return kept.isEmpty() ? "-" : kept;
    }
}
