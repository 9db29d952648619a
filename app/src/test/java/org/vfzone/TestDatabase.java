package org.vfzone;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.springframework.boot.SpringApplication;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.vfzone.system.PostgresBinaries;

/**
 * One real PostgreSQL server for the whole test run: a Testcontainers container where a Docker engine is reachable,
 * otherwise an embedded PostgreSQL. Never skipped. Each test context asks for its own database on that server.
 */
public final class TestDatabase {

    private static Server server;
    private static final Set<String> created = new HashSet<>();

    private record Server(String host, int port, String user, String password) {
        String url(String database) {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }
    }

    private TestDatabase() {
    }

    public static String username() {
        return server().user();
    }

    public static String password() {
        return server().password();
    }

    /** JDBC URL of {@code database}, created empty on first request. */
    public static synchronized String url(String database) {
        Server s = server();
        if (created.add(database)) {
            try (Connection c = DriverManager.getConnection(s.url("postgres"), s.user(), s.password());
                 Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("select 1 from pg_database where datname = '" + database + "'")) {
                    if (rs.next()) {
                        st.execute("drop database " + database + " with (force)");
                    }
                }
                st.execute("create database " + database);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create test database " + database, e);
            }
        }
        return s.url(database);
    }

    private static synchronized Server server() {
        if (server == null) {
            boolean docker = DockerClientFactory.instance().isDockerAvailable();
            System.out.println(docker ? "Tests use PostgreSQL in a Testcontainers container"
                    : "No Docker engine: tests use an embedded PostgreSQL");
            server = docker ? startContainer() : startEmbedded();
        }
        return server;
    }

    private static Server startContainer() {
        PostgreSQLContainer container = new PostgreSQLContainer("postgres:17-alpine");
        container.start();
        SpringApplication.getShutdownHandlers().add(container::stop);
        return new Server(container.getHost(), container.getMappedPort(5432), container.getUsername(),
                container.getPassword());
    }

    private static Server startEmbedded() {
        try {
            // test data is thrown away: explicitly without fsync and synchronous commit, for speed (the product's
            // embedded database runs with both on)
            EmbeddedPostgres postgres = PostgresBinaries.builder().setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off").setRegisterShutdownHook(false).start();
            // the JVM runs its shutdown hooks side by side; Spring Boot's shutdown handlers run after the application
            // contexts have closed, so the database stops once their beans have signed off in it, not under them
            SpringApplication.getShutdownHandlers().add(() -> {
                try {
                    postgres.close();
                } catch (Exception ignored) {
                    // the JVM is exiting; the temporary data directory is removed either way
                }
            });
            return new Server("localhost", postgres.getPort(), "postgres", "");
        } catch (IOException e) {
            throw new IllegalStateException("cannot start embedded PostgreSQL", e);
        }
    }
}
