package org.vfzone.zoning;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Zoning's settings, under {@code vfzone.push}, {@code vfzone.changes}, {@code vfzone.live-zoning} and
 * {@code vfzone.zoning}.
 */
@ConfigurationProperties("vfzone")
public record ZoningProperties(@DefaultValue Push push, @DefaultValue Changes changes,
                               @DefaultValue KeptReads liveZoning, @DefaultValue History zoning) {

    /** @param stuckAfter a push running longer than this on a live node may be resolved by reading the fabric */
    public record Push(@DefaultValue("PT30M") Duration stuckAfter) {
    }

    /** @param reasonRequired whether every plan must say why (a reason or a ticket) */
    public record Changes(@DefaultValue("false") boolean reasonRequired) {
    }

    /** @param keepReadFor how long a fabric's zoning, once read for the pages, is shown before it is read again */
    public record KeptReads(@DefaultValue("PT60S") Duration keepReadFor) {
    }

    /** @param snapshotsKept how many zoning snapshots (before and after pushes) are kept per fabric */
    public record History(@DefaultValue("500") int snapshotsKept) {
    }
}
