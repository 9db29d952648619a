package org.vfzone.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With no {@code spring.datasource.url} configured, vfzone runs its own real PostgreSQL whose data directory
 * lives under {@code vfzone.data-dir}, so the inventory survives restarts with zero set-up.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${spring.datasource.url:}'.isEmpty()")
class EmbeddedDatabaseConfiguration {

    static final String DATABASE = "vfzone";
    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(VfzoneProperties properties) throws IOException {
        Path dataDirectory = properties.dataDir().toAbsolutePath().resolve("pgdata");
        Files.createDirectories(dataDirectory);
        log.info("Starting embedded PostgreSQL with data directory {}", dataDirectory);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false);
        if (properties.embeddedDb().port() > 0) {
            builder.setPort(properties.embeddedDb().port());
        }
        return builder.start();
    }

    @Bean(destroyMethod = "close")
    DataSource dataSource(EmbeddedPostgres postgres) throws SQLException {
        createDatabaseIfMissing(postgres.getPostgresDatabase());
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(postgres.getJdbcUrl("postgres", DATABASE));
        dataSource.setUsername("postgres");
        dataSource.setPoolName("vfzone-embedded");
        dataSource.setMaximumPoolSize(10);
        return dataSource;
    }

    private static void createDatabaseIfMissing(DataSource admin) throws SQLException {
        try (Connection connection = admin.getConnection(); Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery(
                    "select 1 from pg_database where datname = '" + DATABASE + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            statement.execute("create database " + DATABASE);
        }
    }
}
