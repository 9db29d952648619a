package org.vfzone.system;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code vfzone.*}.
 *
 * @param dataDir    where the embedded database (and later key files) live; survives restarts
 * @param embeddedDb port of the embedded PostgreSQL (0 picks a free one)
 * @param wwn        WWN allocation rules
 */
@ConfigurationProperties("vfzone")
public record VfzoneProperties(
        @DefaultValue("${user.home}/.vfzone") Path dataDir,
        @DefaultValue EmbeddedDb embeddedDb,
        @DefaultValue Wwn wwn) {

    public record EmbeddedDb(@DefaultValue("0") int port) {
    }

    /** @param quarantine how long a released WWN stays unusable: it may still be zoned on a fabric */
    public record Wwn(@DefaultValue("30d") Duration quarantine) {
    }
}
