package org.vfzone.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * With no database configured, the inventory lives in an embedded PostgreSQL that survives a restart, writes
 * through to disk, takes only password-authenticated loopback connections, and starts again after a kill -9.
 */
// its own servers in its own folders: beside the other classes, one such class at a time
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock("servers of their own")
class EmbeddedDatabaseTest {

    static VfzoneProperties properties(Path dataDir) {
        return new VfzoneProperties(dataDir, new VfzoneProperties.EmbeddedDb(0),
                new VfzoneProperties.Wwn(Duration.ofDays(30)),
                new VfzoneProperties.Node(Duration.ofSeconds(10), Duration.ofSeconds(60)),
                new VfzoneProperties.Events(Duration.ofMinutes(2)));
    }

    @Test
    void dataSurvivesARestartAndTheServerIsDurableAndPasswordProtected(@TempDir Path dataDir) throws Exception {
        EmbeddedDatabaseConfiguration configuration = new EmbeddedDatabaseConfiguration();
        try (EmbeddedPostgres postgres = configuration.embeddedPostgres(properties(dataDir));
             HikariDataSource dataSource = (HikariDataSource) configuration.dataSource(postgres, properties(dataDir))) {
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            jdbc.execute("create table host (name text)");
            jdbc.update("insert into host values ('esx01')");
            assertThat(jdbc.queryForObject("show fsync", String.class)).isEqualTo("on");
            assertThat(jdbc.queryForObject("show synchronous_commit", String.class)).isEqualTo("on");
            assertThat(jdbc.queryForObject("show full_page_writes", String.class)).isEqualTo("on");
            assertThat(jdbc.queryForObject("show listen_addresses", String.class)).isEqualTo("localhost");
            assertThatThrownBy(() -> DriverManager.getConnection("jdbc:postgresql://localhost:" + postgres.getPort()
                    + "/vfzone", "postgres", "")).hasMessageContaining("password");
            assertThatThrownBy(() -> DriverManager.getConnection("jdbc:postgresql://localhost:" + postgres.getPort()
                    + "/vfzone", "postgres", "guess")).hasMessageContaining("password authentication failed");
        }
        assertThat(dataDir.resolve("pgdata").resolve("PG_VERSION")).exists();
        Path binaries = dataDir.resolve(EmbeddedDatabaseConfiguration.BINARIES);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(binaries)))
                .as("nobody else may put programs where the server's are").isEqualTo("rwx------");
        try (Stream<Path> unpacked = Files.list(binaries.resolve("unpacked"))) {
            assertThat(unpacked.map(path -> path.getFileName().toString())).anyMatch(name -> name.startsWith("PG-"))
                    .anyMatch(name -> name.startsWith("vfzone-postgres-"));
        }
        Path passwordFile = dataDir.resolve(EmbeddedDatabaseConfiguration.PASSWORD_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile))).isEqualTo("rw-------");
        List<String> hba = Files.readAllLines(dataDir.resolve("pgdata").resolve("pg_hba.conf"));
        assertThat(hba.stream().filter(line -> !line.strip().startsWith("#") && !line.isBlank()))
                .isNotEmpty().noneMatch(line -> line.contains("trust"));

        try (EmbeddedPostgres postgres = configuration.embeddedPostgres(properties(dataDir));
             HikariDataSource dataSource = (HikariDataSource) configuration.dataSource(postgres, properties(dataDir))) {
            assertThat(new JdbcTemplate(dataSource).queryForList("select name from host", String.class))
                    .containsExactly("esx01");
            assertThat(dataSource.getJdbcUrl()).contains("/" + EmbeddedDatabaseConfiguration.DATABASE + "?");
        }
    }

    @Test
    void aDataDirectoryMadeWithoutPasswordsGetsOne(@TempDir Path dataDir) throws Exception {
        Path pgdata = dataDir.resolve("pgdata");
        // as earlier versions made it: the library's defaults, trust for everyone
        try (EmbeddedPostgres old = PostgresBinaries.builder().setDataDirectory(pgdata).setCleanDataDirectory(false)
                .start()) {
            new JdbcTemplate(old.getPostgresDatabase()).execute("create table kept (id int)");
        }
        EmbeddedDatabaseConfiguration configuration = new EmbeddedDatabaseConfiguration();
        try (EmbeddedPostgres postgres = configuration.embeddedPostgres(properties(dataDir));
             HikariDataSource dataSource = (HikariDataSource) configuration.dataSource(postgres, properties(dataDir))) {
            assertThat(new JdbcTemplate(postgres.getPostgresDatabase()).queryForObject("select count(*) from kept",
                    Long.class)).isZero();
            assertThatThrownBy(() -> DriverManager.getConnection("jdbc:postgresql://localhost:" + postgres.getPort()
                    + "/postgres", "postgres", "")).hasMessageContaining("password");
        }
    }

    /** Runs in a separate JVM: starts the embedded database and says so, then waits to be killed. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            EmbeddedPostgres postgres = new EmbeddedDatabaseConfiguration().embeddedPostgres(properties(Path.of(args[0])));
            System.out.println("READY " + postgres.getPort());
            System.out.flush();
            new CountDownLatch(1).await();
        }
    }

    @Test
    void aKillMinus9OfTheAppLeavesNothingThatStopsTheNextStart(@TempDir Path dataDir) throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Child.class.getName(), dataDir.toString())
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("READY")) {
                // the child's log, until it is ready
            }
            assertThat(line).as("the child started its database").startsWith("READY");
        }
        child.destroyForcibly();
        assertThat(child.waitFor(2, TimeUnit.MINUTES)).isTrue();
        Path pidFile = dataDir.resolve("pgdata").resolve("postmaster.pid");
        long leftover = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
        assertThat(ProcessHandle.of(leftover)).as("the killed app's PostgreSQL is still running").isPresent();

        EmbeddedDatabaseConfiguration configuration = new EmbeddedDatabaseConfiguration();
        try (EmbeddedPostgres postgres = configuration.embeddedPostgres(properties(dataDir));
             HikariDataSource dataSource = (HikariDataSource) configuration.dataSource(postgres, properties(dataDir))) {
            assertThat(new JdbcTemplate(dataSource).queryForObject("select 1", Integer.class)).isEqualTo(1);
        }
        assertThat(ProcessHandle.of(leftover).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }
}
