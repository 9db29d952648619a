package org.vfzone.congestion;

import java.security.Principal;
import java.time.Clock;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.FabricService;
import org.vfzone.security.FabricAccess;
import org.vfzone.security.Role;
import org.vfzone.traffic.TrafficPeriod;

/**
 * JSON API of congestion: a fabric's ports with symptoms and a VM's ports, over a period ({@code range} 1h, 24h, 7d,
 * 30d, or {@code from}/{@code to} in ISO-8601 UTC); a poll on demand. Units are in the field names or as documented
 * in docs/congestion.md: {@code seconds}, {@code txWaitPercent} (percent of the time), counts, {@code txMegabytes}
 * (10^6 bytes).
 */
@RestController
@RequestMapping("/api")
class CongestionApiController {

    private final CongestionQueries queries;
    private final CongestionPoller poller;
    private final FabricService fabrics;
    private final FabricAccess access;
    private final Clock clock;
    private final CongestionSettings settings;

    CongestionApiController(CongestionQueries queries, CongestionPoller poller, FabricService fabrics,
                            FabricAccess access, Clock clock, CongestionSettings settings) {
        this.queries = queries;
        this.poller = poller;
        this.fabrics = fabrics;
        this.access = access;
        this.clock = clock;
        this.settings = settings;
    }

    @GetMapping("/fabrics/{id}/congestion")
    CongestionQueries.FabricCongestion ofFabric(@PathVariable long id,
                                                @RequestParam(required = false) String range,
                                                @RequestParam(required = false) String from,
                                                @RequestParam(required = false) String to) {
        fabrics.get(id);
        TrafficPeriod period = TrafficPeriod.of(range, from, to, clock);
        return queries.fabric(id, period.from(), period.to());
    }

    @GetMapping("/vms/{id}/congestion")
    CongestionQueries.VmCongestion ofVm(@PathVariable long id, @RequestParam(required = false) String range,
                                        @RequestParam(required = false) String from,
                                        @RequestParam(required = false) String to) {
        TrafficPeriod period = TrafficPeriod.of(range, from, to, clock);
        return queries.vm(id, period.from(), period.to());
    }

    @GetMapping("/congestion/settings")
    CongestionSettings.Thresholds settings() {
        return settings.current();
    }

    /** ADMIN: both thresholds at once; a value out of range is a 400 naming the field. */
    @PutMapping("/congestion/settings")
    CongestionSettings.Thresholds updateSettings(@RequestBody CongestionSettings.Form form, Principal who) {
        return settings.update(form, who.getName());
    }

    /** Reads the fabric's ports now; a protocol without port statistics is a result, not an error. */
    @PostMapping("/fabrics/{id}/congestion/poll")
    CongestionPoller.Result poll(@PathVariable long id) {
        Fabric fabric = fabrics.get(id);
        access.require(Role.OPERATOR, id, fabric.getName(), "read the port counters of");
        return poller.poll(id);
    }
}
