package org.vfzone.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * lives under {@code vfzone.data-dir}, so the inventory survives restarts with zero set-up. It is run as durable as
 * any production PostgreSQL: fsync and synchronous commit on (the embedding library's test defaults turn them
 * off), listening on loopback only, SCRAM password authentication for every connection with a generated password
 * kept owner-only in the data directory. A postmaster left running by a killed vfzone is stopped before start.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${spring.datasource.url:}'.isEmpty()")
class EmbeddedDatabaseConfiguration {

    static final String DATABASE = "vfzone";
    static final String PASSWORD_FILE = "embedded-db.password";
    /** Where in the data directory the server's programs are unpacked. */
    static final String BINARIES = "postgres-binaries";
    private static final String SUPERUSER = "postgres";
    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(VfzoneProperties properties) throws IOException {
        Path dataDir = properties.dataDir().toAbsolutePath();
        Path pgdata = dataDir.resolve("pgdata");
        Files.createDirectories(pgdata);
        stopLeftoverPostmaster(pgdata);
        Path passwordFile = dataDir.resolve(PASSWORD_FILE);
        String password = readOrCreatePassword(passwordFile);
        // the server's programs in the data directory, its owner's alone, not in the shared temporary directory
        Path binaries = dataDir.resolve(BINARIES);
        if (Files.exists(pgdata.resolve("pg_hba.conf")) && trusts(pgdata.resolve("pg_hba.conf"))) {
            requirePassword(binaries, pgdata, properties.embeddedDb().port(), password);
        }
        log.info("Starting embedded PostgreSQL with data directory {}", pgdata);
        return durable(PostgresBinaries.builder(binaries), pgdata, properties.embeddedDb().port(), passwordFile,
                password).start();
    }

    @Bean(destroyMethod = "close")
    DataSource dataSource(EmbeddedPostgres postgres, VfzoneProperties properties) throws SQLException, IOException {
        createDatabaseIfMissing(postgres.getPostgresDatabase());
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(postgres.getJdbcUrl(SUPERUSER, DATABASE));
        dataSource.setUsername(SUPERUSER);
        dataSource.setPassword(readOrCreatePassword(properties.dataDir().toAbsolutePath().resolve(PASSWORD_FILE)));
        dataSource.setPoolName("vfzone-embedded");
        dataSource.setMaximumPoolSize(10);
        return dataSource;
    }

    private static EmbeddedPostgres.Builder durable(EmbeddedPostgres.Builder builder, Path pgdata, int port,
                                                    Path passwordFile, String password) {
        builder.setDataDirectory(pgdata)
                .setCleanDataDirectory(false)
                // later options win over the library's "-F": the server writes through to disk
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("listen_addresses", "localhost")
                .setServerConfig("password_encryption", "scram-sha-256")
                // passed to initdb for a new data directory: the superuser gets the password, and TCP and local
                // connections need it
                .setLocaleConfig("pwfile", passwordFile.toString())
                .setLocaleConfig("auth-host", "scram-sha-256")
                .setLocaleConfig("auth-local", "scram-sha-256")
                .setConnectConfig("password", password);
        if (port > 0) {
            builder.setPort(port);
        }
        return builder;
    }

    /** A data directory made before passwords were required: set the password, then allow only SCRAM. */
    private static void requirePassword(Path binaries, Path pgdata, int port, String password) throws IOException {
        log.warn("The embedded PostgreSQL in {} accepts connections without a password: setting one", pgdata);
        EmbeddedPostgres.Builder builder = PostgresBinaries.builder(binaries).setDataDirectory(pgdata)
                .setCleanDataDirectory(false).setServerConfig("listen_addresses", "localhost");
        if (port > 0) {
            builder.setPort(port);
        }
        try (EmbeddedPostgres open = builder.start();
             Connection connection = open.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            // the password is generated base64url text: no quoting issue
            statement.execute("alter role " + SUPERUSER + " password '" + password + "'");
        } catch (SQLException e) {
            throw new IOException("cannot set the embedded database's password", e);
        }
        Files.writeString(pgdata.resolve("pg_hba.conf"), """
                # Written by vfzone: every connection authenticates with the password in embedded-db.password.
                local   all   all                  scram-sha-256
                host    all   all   127.0.0.1/32   scram-sha-256
                host    all   all   ::1/128        scram-sha-256
                """, StandardCharsets.UTF_8);
    }

    private static boolean trusts(Path hba) throws IOException {
        return Files.readAllLines(hba, StandardCharsets.UTF_8).stream().map(String::strip)
                .filter(line -> !line.startsWith("#") && !line.isEmpty())
                .anyMatch(line -> List.of(line.split("\\s+")).contains("trust"));
    }

    /** The embedded database's password: generated once, readable by the owner only. */
    static String readOrCreatePassword(Path file) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Files.createDirectories(file.getParent());
        Path temporary = Files.createTempFile(file.getParent(), PASSWORD_FILE, ".tmp");
        try {
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            log.warn("Cannot restrict {} to its owner on this file system", file);
        }
        Files.writeString(temporary, password, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        return password;
    }

    /**
     * A vfzone killed without shutting down leaves its PostgreSQL running, holding the data directory. Its pid is
     * the first line of {@code postmaster.pid}; when that process is alive and is a postgres server, it is asked to
     * shut down (SIGTERM: smart shutdown, which is quick as its only client is gone) and awaited.
     */
    static void stopLeftoverPostmaster(Path pgdata) throws IOException {
        Path pidFile = pgdata.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readAllLines(pidFile, StandardCharsets.UTF_8).get(0).strip());
        } catch (RuntimeException e) {
            return;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid)
                .filter(p -> p.info().command().map(command -> command.endsWith("postgres")).orElse(false));
        if (process.isEmpty()) {
            return;
        }
        log.warn("A PostgreSQL server (pid {}) left running by an earlier vfzone still holds {}: stopping it", pid,
                pgdata);
        process.get().destroy();
        try {
            process.get().onExit().get(Duration.ofMinutes(2).toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while stopping the leftover PostgreSQL server " + pid, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the leftover PostgreSQL server " + pid + " did not stop; stop it and start again",
                    e);
        }
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
