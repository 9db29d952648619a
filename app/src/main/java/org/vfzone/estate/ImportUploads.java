package org.vfzone.estate;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The files of a UI import kept between the dry run and the apply, so the apply sends an id instead of the files
 * again (a 50,000-VM import is far over any form-field limit). Owned by the uploader, kept an hour, one use.
 */
@Component
@Transactional
class ImportUploads {

    static final Duration KEPT = Duration.ofHours(1);

    private final JdbcTemplate jdbc;
    private final JsonMapper json;

    ImportUploads(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** The files a user has kept, as a dry run showed them: when they were kept, and each file's rows. */
    record Kept(UUID id, Instant keptAt, Map<EstateImport.File, String> files) {

        List<KeptFile> list() {
            return files.entrySet().stream().map(e -> new KeptFile(e.getKey(), e.getKey().fileName,
                    EstateCsv.rowCount(e.getValue()))).toList();
        }
    }

    record KeptFile(EstateImport.File file, String name, long rows) {
    }

    /** The user's kept files (their newest set within the hour), without taking them. */
    Optional<Kept> latest(String user) {
        return jdbc.query("select id, created_at, files from import_upload where created_by = ? and "
                + "created_at >= now() - make_interval(secs => ?) order by created_at desc limit 1", (rs, i) ->
                new Kept(rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant(), files(rs.getString(3))),
                user, (double) KEPT.toSeconds()).stream().findFirst();
    }

    /** Forgets every file the user kept. */
    void discard(String user) {
        jdbc.update("delete from import_upload where created_by = ?", user);
    }

    /**
     * Keeps the files of a dry run as the user's one kept set: an older set of theirs goes, so the page always
     * shows exactly what the next dry run and its apply use.
     */
    UUID keep(Map<EstateImport.File, String> files, String user) {
        jdbc.update("delete from import_upload where created_at < now() - make_interval(secs => ?) or created_by = ?",
                (double) KEPT.toSeconds(), user);
        Map<String, String> byName = new LinkedHashMap<>();
        files.forEach((file, text) -> byName.put(file.name(), text));
        UUID id = UUID.randomUUID();
        jdbc.update("insert into import_upload (id, created_by, files) values (?, ?, ?)", id, user,
                json.writeValueAsString(byName));
        return id;
    }

    /** The files uploaded as {@code id} by {@code user} within the last hour, removed as they are taken. */
    Optional<Map<EstateImport.File, String>> take(UUID id, String user) {
        List<String> found = jdbc.queryForList("delete from import_upload where id = ? and created_by = ? and "
                + "created_at >= now() - make_interval(secs => ?) returning files", String.class, id, user,
                (double) KEPT.toSeconds());
        if (found.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(files(found.get(0)));
    }

    private Map<EstateImport.File, String> files(String stored) {
        Map<String, String> byName = json.readValue(stored, new TypeReference<Map<String, String>>() {
        });
        Map<EstateImport.File, String> files = new EnumMap<>(EstateImport.File.class);
        byName.forEach((name, text) -> files.put(EstateImport.File.valueOf(name), text));
        return files;
    }
}
