package org.vfzone.traffic;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.vfzone.inventory.InventoryDirectory;

/** Per-initiator and per-VM series on the API: the same JSON the charts draw, with the API's error handling. */
@RestController
@io.swagger.v3.oas.annotations.tags.Tag(name = "Traffic", description = "Collector ingest, per-initiator and per-VM series and reports")
@RequestMapping("/api/traffic")
class TrafficSeriesApiController {

    private final TrafficQueries queries;
    private final Clock clock;
    private final TrafficReports reports;
    private final InventoryDirectory inventory;
    private final TrafficStorage storage;

    TrafficSeriesApiController(TrafficQueries queries, Clock clock, TrafficReports reports,
                               InventoryDirectory inventory, TrafficStorage storage) {
        this.storage = storage;
        this.reports = reports;
        this.inventory = inventory;
        this.queries = queries;
        this.clock = clock;
    }

    /** Disk used by the traffic history, raw and compacted, and what the raw tier needs at its retention. */
    @GetMapping("/storage")
    TrafficStorage.Status storage() {
        return storage.status();
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

    /** The VM's series as CSV: one row per fabric and time bucket, every metric a column. */
    @GetMapping(value = "/vms/{id}/series.csv", produces = "text/csv")
    ResponseEntity<String> vmSeriesCsv(@PathVariable long id,
                                                                @RequestParam(defaultValue = "24h") String range,
                                                                @RequestParam(required = false) String from,
                                                                @RequestParam(required = false) String to) {
        String name = inventory.vmName(id);
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .body(reports.vmSeriesCsv(name, id, TrafficPeriod.of(range, from, to, clock)));
    }
}
