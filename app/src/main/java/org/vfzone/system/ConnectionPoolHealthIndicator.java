package org.vfzone.system;

import java.sql.SQLException;
import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * OUT_OF_SERVICE while every database connection is taken and requests wait for one: the application cannot serve
 * then, even if the database itself answers. Reads the pool's counters only, so it answers at once when the pool is
 * exhausted (a validation query would wait for a connection like everyone else).
 */
@Component("connectionPool")
class ConnectionPoolHealthIndicator implements HealthIndicator {

    private final DataSource dataSource;

    ConnectionPoolHealthIndicator(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Health health() {
        HikariDataSource hikari;
        try {
            hikari = dataSource.unwrap(HikariDataSource.class);
        } catch (SQLException e) {
            return Health.unknown().withDetail("pool", "not a Hikari pool").build();
        }
        HikariPoolMXBean pool = hikari.getHikariPoolMXBean();
        if (pool == null) {
            return Health.up().withDetail("pool", "not started").build();
        }
        int active = pool.getActiveConnections();
        int waiting = pool.getThreadsAwaitingConnection();
        int max = hikari.getMaximumPoolSize();
        Health.Builder health = active >= max && waiting > 0 ? Health.outOfService() : Health.up();
        return health.withDetail("active", active).withDetail("idle", pool.getIdleConnections())
                .withDetail("max", max).withDetail("waiting", waiting).build();
    }
}
