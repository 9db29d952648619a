package org.vfzone.estate;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;

/**
 * The files of a UI import kept between the dry run and the apply, so the apply sends an id instead of the files
 * again (a 50,000-VM import is far over any form-field limit). Owned by the uploader, kept an hour, one use.
 */
@Component
@Transactional
class ImportUploads {

    static final Duration KEPT = Duration.ofHours(1);

    private final JdbcTemplate jdbc;
    private final tools.jackson.databind.json.JsonMapper json;

    ImportUploads(JdbcTemplate jdbc, tools.jackson.databind.json.JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    UUID keep(Map<EstateImport.File, String> files, String user) {
        jdbc.update("delete from import_upload where created_at < now() - make_interval(secs => ?)",
                (double) KEPT.toSeconds());
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
        Map<String, String> byName = json.readValue(found.get(0), new TypeReference<Map<String, String>>() {
        });
        Map<EstateImport.File, String> files = new LinkedHashMap<>();
        byName.forEach((name, text) -> files.put(EstateImport.File.valueOf(name), text));
        return Optional.of(files);
    }
}
