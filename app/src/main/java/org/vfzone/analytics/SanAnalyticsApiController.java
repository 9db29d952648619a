package org.vfzone.analytics;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.vfzone.inventory.Fabric;
import org.vfzone.inventory.FabricService;
import org.vfzone.security.FabricAccess;
import org.vfzone.security.Role;
import org.vfzone.wwn.WwnFields;

/** JSON API of switch analytics: a fabric's last poll and flows, a poll on demand, an initiator's flows. */
@RestController
@RequestMapping("/api")
class SanAnalyticsApiController {

    /** A fabric's analytics: the last poll (null before the first) and its busiest flows. */
    record FabricAnalytics(SanAnalyticsQueries.Status status, List<SanAnalyticsQueries.FlowRow> flows) {
    }

    private final SanAnalyticsQueries queries;
    private final SanAnalyticsPoller poller;
    private final FabricService fabrics;
    private final FabricAccess access;

    SanAnalyticsApiController(SanAnalyticsQueries queries, SanAnalyticsPoller poller, FabricService fabrics,
                              FabricAccess access) {
        this.queries = queries;
        this.poller = poller;
        this.fabrics = fabrics;
        this.access = access;
    }

    @GetMapping("/fabrics/{id}/analytics")
    FabricAnalytics ofFabric(@PathVariable long id, @RequestParam(defaultValue = "100") int limit) {
        fabrics.get(id);
        return new FabricAnalytics(queries.status(id).orElse(null),
                queries.busiestFlows(id, Math.max(1, Math.min(limit, 10_000))));
    }

    /** Reads the fabric's flows now; a switch without analytics is a result, not an error. */
    @PostMapping("/fabrics/{id}/analytics/poll")
    SanAnalyticsPoller.Result poll(@PathVariable long id) {
        Fabric fabric = fabrics.get(id);
        access.require(Role.OPERATOR, id, fabric.getName(), "read the flows of");
        return poller.poll(id);
    }

    @GetMapping("/initiators/{wwpn}/flows")
    List<SanAnalyticsQueries.FlowRow> ofInitiator(@PathVariable String wwpn) {
        return queries.flowsOf(WwnFields.parse(wwpn, "wwpn"));
    }
}
