package org.vfzone.collector;

import java.util.List;
import java.util.Locale;

/**
 * The Linux fc_host statistics vfzone collects, in the order everything uses: the files of
 * {@code /sys/class/fc_host/hostN/statistics/} the collector reads, the fields it sends, the fields vfzone parses and
 * the columns of its {@code traffic_sample} table (each named as the sysfs file).
 */
public enum FcCounter {
    FCP_INPUT_REQUESTS(false),
    FCP_OUTPUT_REQUESTS(false),
    FCP_INPUT_MEGABYTES(false),
    FCP_OUTPUT_MEGABYTES(false),
    TX_FRAMES(false),
    RX_FRAMES(false),
    TX_WORDS(false),
    RX_WORDS(false),
    ERROR_FRAMES(true),
    LINK_FAILURE_COUNT(true),
    LOSS_OF_SYNC_COUNT(true),
    LOSS_OF_SIGNAL_COUNT(true),
    INVALID_CRC_COUNT(true),
    DUMPED_FRAMES(true),
    /** Not a traffic counter: it goes down when the HBA's counters were reset. */
    SECONDS_SINCE_LAST_RESET(false);

    /** Every counter, in order (a shared copy: {@code values()} copies its array on every call). */
    public static final List<FcCounter> ALL = List.of(values());

    private final boolean error;
    private final String fieldName;

    FcCounter(boolean error) {
        this.error = error;
        this.fieldName = name().toLowerCase(Locale.ROOT);
    }

    /** The sysfs file, the wire field and the database column. */
    public String fieldName() {
        return fieldName;
    }

    /** An error counter: its increments are summed into one "errors" figure. */
    public boolean isError() {
        return error;
    }
}
