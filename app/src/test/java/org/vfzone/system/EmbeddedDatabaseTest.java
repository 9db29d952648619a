package org.vfzone.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/** With no database configured, the inventory lives in an embedded PostgreSQL that survives a restart. */
class EmbeddedDatabaseTest {

    @Test
    void dataSurvivesARestart(@TempDir Path dataDir) throws Exception {
        VfzoneProperties properties = new VfzoneProperties(dataDir, new VfzoneProperties.EmbeddedDb(0),
                new VfzoneProperties.Wwn(Duration.ofDays(30)));
        EmbeddedDatabaseConfiguration configuration = new EmbeddedDatabaseConfiguration();

        try (EmbeddedPostgres postgres = configuration.embeddedPostgres(properties);
             HikariDataSource dataSource = (HikariDataSource) configuration.dataSource(postgres)) {
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            jdbc.execute("create table host (name text)");
            jdbc.update("insert into host values ('esx01')");
        }
        assertThat(dataDir.resolve("pgdata").resolve("PG_VERSION")).exists();

        try (EmbeddedPostgres postgres = configuration.embeddedPostgres(properties);
             HikariDataSource dataSource = (HikariDataSource) configuration.dataSource(postgres)) {
            assertThat(new JdbcTemplate(dataSource).queryForList("select name from host", String.class))
                    .containsExactly("esx01");
            assertThat(dataSource.getJdbcUrl()).contains("/" + EmbeddedDatabaseConfiguration.DATABASE + "?");
        }
    }
}
