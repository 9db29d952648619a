package org.vfzone.security;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.postgresql.Driver;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Tells every application node at once that an API token was revoked: the revoking transaction sends a PostgreSQL
 * {@code NOTIFY} on {@value #CHANNEL} (delivered when it commits), and each node keeps one connection that
 * {@code LISTEN}s. A node may keep verified tokens in memory only while it listens: when its listening connection
 * fails it forgets them all and checks every token in the database until it listens again. A revocation bumps
 * {@link #generation()}, so a check that began before it cannot put its (now stale) answer in the cache.
 */
@Component
class TokenRevocations implements DisposableBean {

    static final String CHANNEL = "vfzone_api_token";
    private static final Logger log = LoggerFactory.getLogger(TokenRevocations.class);

    private final DataSource dataSource;
    private final AtomicLong generation = new AtomicLong();
    private final Runnable onRevocation;
    private volatile boolean listening;
    private volatile boolean stopped;
    private final Thread listener;

    TokenRevocations(DataSource dataSource, ApiTokenCache cache,
                     SecurityProperties properties) {
        boolean enabled = properties.security().tokenCache();
        this.dataSource = dataSource;
        this.onRevocation = cache::clear;
        this.listener = new Thread(this::listen, "token-revocations");
        this.listener.setDaemon(true);
        if (enabled) {
            listener.start();
        }
    }

    /** Whether verified tokens may be kept: only while revocations are heard. */
    boolean listening() {
        return listening;
    }

    long generation() {
        return generation.get();
    }

    /** A revocation heard (or this node's own, or the listener lost): nothing cached before it counts. */
    void revoked() {
        generation.incrementAndGet();
        onRevocation.run();
    }

    private void listen() {
        while (!stopped) {
            try (Connection connection = listeningConnection()) {
                connection.setAutoCommit(true);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("listen " + CHANNEL);
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                revoked(); // anything cached while not listening is forgotten before caching starts again
                listening = true;
                while (!stopped) {
                    PGNotification[] notifications = pg.getNotifications(1000);
                    if (notifications != null && notifications.length > 0) {
                        revoked();
                    }
                    if (connection.isClosed()) {
                        throw new SQLException("the listening connection closed");
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!stopped) {
                    log.warn("Not listening for token revocations ({}); every API token is checked in the "
                            + "database until it listens again", e.getMessage());
                }
            } finally {
                listening = false;
                revoked();
            }
            pause();
        }
    }

    /**
     * A connection of its own, outside the pool: it is held for as long as the node runs, and the pool's size is
     * what the rest of the application may use.
     */
    private Connection listeningConnection() throws SQLException {
        if (dataSource instanceof HikariDataSource hikari && hikari.getJdbcUrl() != null) {
            Properties properties = new Properties();
            if (hikari.getUsername() != null) {
                properties.setProperty("user", hikari.getUsername());
            }
            if (hikari.getPassword() != null) {
                properties.setProperty("password", hikari.getPassword());
            }
            properties.setProperty("ApplicationName", "vfzone token revocations");
            properties.setProperty("tcpKeepAlive", "true");
            Connection connection = new Driver().connect(hikari.getJdbcUrl(), properties);
            if (connection == null) {
                throw new SQLException("not a PostgreSQL URL: " + hikari.getJdbcUrl());
            }
            return connection;
        }
        return dataSource.getConnection();
    }

    private void pause() {
        try {
            Thread.sleep(2000); // before reconnecting: the database may be restarting
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
    }

    @Override
    public void destroy() {
        stopped = true;
        listener.interrupt();
    }
}
