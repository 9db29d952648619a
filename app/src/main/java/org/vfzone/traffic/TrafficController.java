package org.vfzone.traffic;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.vfzone.inventory.Vm;
import org.vfzone.inventory.VmService;
import org.vfzone.system.PageController;
import org.vfzone.system.RuleViolation;
import org.vfzone.wwn.Wwn;
import org.vfzone.wwn.WwnFields;

/** Traffic charts and reports; the JSON behind the charts ({@link TrafficSeriesApiController} serves it on the API). */
@PageController
class TrafficController {

    static final Map<String, Duration> RANGES = TrafficPeriod.RANGES;

    private final TrafficQueries queries;
    private final TrafficReports reports;
    private final VmService vms;
    private final Clock clock;

    private final TrafficStorage storage;

    TrafficController(TrafficQueries queries, TrafficReports reports, VmService vms, Clock clock,
                      TrafficStorage storage) {
        this.storage = storage;
        this.queries = queries;
        this.reports = reports;
        this.vms = vms;
        this.clock = clock;
    }

    TrafficPeriod period(String range, String from, String to) {
        return TrafficPeriod.of(range, from, to, clock);
    }

    @GetMapping("/traffic/initiators/{wwpn}/series")
    @ResponseBody
    TrafficQueries.Series initiatorSeries(@PathVariable String wwpn, @RequestParam(defaultValue = "24h") String range,
                                          @RequestParam(required = false) String from,
                                          @RequestParam(required = false) String to) {
        return queries.seriesOfInitiator(wwpn, period(range, from, to));
    }

    @GetMapping("/traffic/vms/{id}/series")
    @ResponseBody
    Map<String, TrafficQueries.Series> vmSeries(@PathVariable long id, @RequestParam(defaultValue = "24h") String range,
                                                @RequestParam(required = false) String from,
                                                @RequestParam(required = false) String to) {
        return queries.seriesOfVm(id, period(range, from, to));
    }

    @GetMapping("/traffic/initiators/{wwpn}")
    String initiator(@PathVariable String wwpn, @RequestParam(defaultValue = "24h") String range, Model model) {
        Wwn parsed = WwnFields.parse(wwpn, "wwpn");
        model.addAttribute("wwpn", parsed.toString());
        model.addAttribute("range", range);
        model.addAttribute("ranges", RANGES.keySet());
        return "traffic/initiator";
    }

    @GetMapping("/vms/{id}/traffic")
    String vmReport(@PathVariable long id, @RequestParam(defaultValue = "24h") String range,
                    @RequestParam(required = false) String from, @RequestParam(required = false) String to,
                    Model model) {
        Vm vm = vms.get(id);
        TrafficPeriod period;
        try {
            period = period(range, from, to);
        } catch (RuleViolation e) {
            // the page stays, with the typed range beside the reason and the default period charted
            model.addAttribute("rangeErrorField", e.field());
            model.addAttribute("rangeError", e.getMessage());
            period = period("24h", null, null);
        }
        model.addAttribute("typedFrom", from);
        model.addAttribute("typedTo", to);
        model.addAttribute("vm", vm);
        model.addAttribute("period", period);
        model.addAttribute("ranges", RANGES.keySet());
        model.addAttribute("stats", reports.vmStats(id, period));
        model.addAttribute("initiators", queries.initiatorsOfVm(id).entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue().stream().map(v -> new Wwn(v).toString()).toList()))
                .toList());
        return "traffic/vm";
    }

    @GetMapping("/vms/{id}/traffic.csv")
    ResponseEntity<String> vmReportCsv(@PathVariable long id, @RequestParam(defaultValue = "24h") String range,
                                       @RequestParam(required = false) String from,
                                       @RequestParam(required = false) String to) {
        Vm vm = vms.get(id);
        TrafficPeriod period = period(range, from, to);
        return csvResponse(reports.vmCsv(vm.getName(), id, period), "vfzone-traffic-" + vm.getName() + ".csv");
    }

    @GetMapping("/vms/{id}/traffic-series.csv")
    ResponseEntity<String> vmSeriesCsv(@PathVariable long id, @RequestParam(defaultValue = "24h") String range,
                                       @RequestParam(required = false) String from,
                                       @RequestParam(required = false) String to) {
        Vm vm = vms.get(id);
        return csvResponse(reports.vmSeriesCsv(vm.getName(), id, period(range, from, to)),
                "vfzone-traffic-series-" + vm.getName() + ".csv");
    }

    @GetMapping("/traffic")
    String estate(@RequestParam(defaultValue = "24h") String range, @RequestParam(defaultValue = "throughput") String by,
                  @RequestParam(defaultValue = "20") int top, Model model) {
        TrafficPeriod period = period(range, null, null);
        model.addAttribute("period", period);
        model.addAttribute("ranges", RANGES.keySet());
        model.addAttribute("by", by);
        model.addAttribute("rows", queries.topVms(period.from(), period.to(), by, Math.max(1, Math.min(top, 500))));
        model.addAttribute("storage", storage.status());
        return "traffic/estate";
    }

    @GetMapping("/traffic.csv")
    ResponseEntity<String> estateCsv(@RequestParam(defaultValue = "24h") String range,
                                     @RequestParam(defaultValue = "throughput") String by,
                                     @RequestParam(defaultValue = "100") int top) {
        TrafficPeriod period = period(range, null, null);
        return csvResponse(reports.topVmsCsv(period, by, Math.max(1, Math.min(top, 10000))), "vfzone-traffic-top-vms-" + period.range() + ".csv");
    }

    private static ResponseEntity<String> csvResponse(String body, String filename) {
        return ResponseEntity.ok().contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(filename).build()
                        .toString())
                .body(body);
    }

    /**
     * A bad range or WWPN: 400 with the field, as problem JSON for the series endpoints (the API and the charts)
     * and as the error page for the pages.
     */
    @ExceptionHandler(RuleViolation.class)
    Object badRequest(RuleViolation e, HttpServletRequest request, Model model,
                      HttpServletResponse response) {
        response.setStatus(e.status().value());
        if (request.getRequestURI().endsWith("/series") || request.getRequestURI().endsWith(".csv")) {
            ProblemDetail problem = ProblemDetail
                    .forStatusAndDetail(e.status(), (e.field() == null ? "" : e.field() + " ") + e.getMessage());
            if (e.field() != null) {
                problem.setProperty("errors", List.of(Map.of("field", e.field(), "message", e.getMessage())));
            }
            return ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(problem);
        }
        model.addAttribute("status", e.status().value());
        model.addAttribute("message", (e.field() == null ? "" : e.field() + " ") + e.getMessage());
        return "error";
    }
}
