package org.vfzone.system;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * This running instance of vfzone, as other instances on the same database see it: an id, a row in
 * {@code app_node} with a heartbeat written on its own thread, and database sessions named after it
 * ({@code application_name}). A node that shut down has no row. A node that died has no sessions any more: the
 * server ends them when the process's connections close, so its death is seen at once, not after a lease.
 * Where sessions cannot be seen (a connection pooler in between), a heartbeat older than the lease means gone.
 */
@Component
public class AppNode {

    /** The id of this node, fixed before the connection pool opens so that its sessions carry it. */
    public record Identity(String id) {

        public Identity() {
            this(UUID.randomUUID().toString());
        }

        public String applicationName() {
            return "vfzone-" + id;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(AppNode.class);

    private final String id;
    private final JdbcTemplate jdbc;
    private final Duration heartbeat;
    private final Duration lease;
    private ScheduledExecutorService beat;

    AppNode(Identity identity, JdbcTemplate jdbc, VfzoneProperties properties) {
        Duration heartbeat = properties.node().heartbeat();
        Duration lease = properties.node().lease();
        this.id = identity.id();
        this.jdbc = jdbc;
        this.heartbeat = heartbeat;
        this.lease = lease;
    }

    public String id() {
        return id;
    }

    @PostConstruct
    void register() {
        jdbc.update("insert into app_node (id, host, started_at, heartbeat_at) values (?, ?, now(), now())", id,
                hostName());
        beat = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "vfzone-node-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        beat.scheduleWithFixedDelay(this::beat, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void beat() {
        try {
            // a row removed while this node was unreachable is written again: the node is alive
            if (jdbc.update("update app_node set heartbeat_at = now() where id = ?", id) == 0) {
                jdbc.update("insert into app_node (id, host, started_at, heartbeat_at) values (?, ?, now(), now())",
                        id, hostName());
            }
        } catch (RuntimeException e) {
            log.warn("Node heartbeat failed: {}", e.getMessage());
        }
    }

    /**
     * Signs the node off, waiting a few seconds at most: with the database already gone (it stops first, or is
     * unreachable) a shutdown must not hang on the pool's connection timeout; the node's lease then lapses by itself.
     */
    @PreDestroy
    void leave() {
        if (beat != null) {
            beat.shutdownNow();
        }
        CompletableFuture<Void> signOff = new CompletableFuture<>();
        Thread leaving = new Thread(() -> {
            try {
                jdbc.update("delete from app_node where id = ?", id);
                signOff.complete(null);
            } catch (RuntimeException e) {
                signOff.completeExceptionally(e);
            }
        }, "vfzone-node-sign-off");
        leaving.setDaemon(true);
        leaving.start();
        try {
            signOff.get(5, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            log.warn("Could not sign this node off within 5 s; its lease lapses by itself");
        } catch (ExecutionException e) {
            log.warn("Could not sign this node off: {}", e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the node {@code nodeId} is running. */
    public boolean isAlive(String nodeId) {
        if (nodeId == null) {
            return false;
        }
        if (nodeId.equals(id)) {
            return true;
        }
        Boolean alive = jdbc.queryForObject("""
                select case
                         when exists (select 1 from pg_stat_activity where application_name = ?)
                           then exists (select 1 from app_node where id = ?)
                                and exists (select 1 from pg_stat_activity where application_name = ?)
                         else exists (select 1 from app_node where id = ?
                                         and heartbeat_at > now() - make_interval(secs => ?))
                       end
                """, Boolean.class, new Identity(id).applicationName(), nodeId,
                new Identity(nodeId).applicationName(), nodeId, (double) lease.toSeconds());
        return Boolean.TRUE.equals(alive);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
