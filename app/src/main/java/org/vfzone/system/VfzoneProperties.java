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
 * @param node       this node's heartbeat in the cluster
 * @param events     redelivery of events a listening module has not handled
 */
@ConfigurationProperties("vfzone")
public record VfzoneProperties(
        @DefaultValue("${user.home}/.vfzone") Path dataDir,
        @DefaultValue EmbeddedDb embeddedDb,
        @DefaultValue Wwn wwn,
        @DefaultValue Node node,
        @DefaultValue Events events) {

    /**
     * @param heartbeat how often the node writes that it is alive
     * @param lease     a heartbeat older than this means the node is gone (where its sessions cannot be seen)
     */
    public record Node(@DefaultValue("PT10S") Duration heartbeat, @DefaultValue("PT60S") Duration lease) {
    }

    /** @param redeliverAfter an event not handled this long after it was published is handed to its listener again */
    public record Events(@DefaultValue("PT2M") Duration redeliverAfter) {
    }

    public record EmbeddedDb(@DefaultValue("0") int port) {
    }

    /** @param quarantine how long a released WWN stays unusable: it may still be zoned on a fabric */
    public record Wwn(@DefaultValue("30d") Duration quarantine) {
    }
}
