package org.vfzone.traffic;

import java.time.Clock;
import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Per-initiator and per-VM series on the API: the same JSON the charts draw, with the API's error handling. */
@RestController
@io.swagger.v3.oas.annotations.tags.Tag(name = "Traffic", description = "Collector ingest, per-initiator and per-VM series and reports")
@RequestMapping("/api/traffic")
class TrafficSeriesApiController {

    private final TrafficQueries queries;
    private final Clock clock;

    TrafficSeriesApiController(TrafficQueries queries, Clock clock) {
        this.queries = queries;
        this.clock = clock;
    }

    @GetMapping("/initiators/{wwpn}/series")
    TrafficQueries.Series initiatorSeries(@PathVariable String wwpn, @RequestParam(defaultValue = "24h") String range,
                                          @RequestParam(required = false) String from,
                                          @RequestParam(required = false) String to) {
        return queries.seriesOfInitiator(wwpn, TrafficPeriod.of(range, from, to, clock));
    }

    @GetMapping("/vms/{id}/series")
    Map<String, TrafficQueries.Series> vmSeries(@PathVariable long id, @RequestParam(defaultValue = "24h") String range,
                                                @RequestParam(required = false) String from,
                                                @RequestParam(required = false) String to) {
        return queries.seriesOfVm(id, TrafficPeriod.of(range, from, to, clock));
    }
}
