package org.vfzone.fabric;

import java.util.List;

/**
 * What a successful push did.
 *
 * @param httpRequests requests sent to the switch, login and logout included
 * @param log          one line per request or command with the switch's answer, for the audit trail
 */
public record PushReport(int httpRequests, List<String> log) {

    public PushReport {
        log = List.copyOf(log);
    }
}
