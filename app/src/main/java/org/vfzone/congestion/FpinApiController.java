package org.vfzone.congestion;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Collectors report their hosts' FPIN counters here when they change (COLLECTOR tokens). */
@RestController
class FpinApiController {

    record Stored(int rows) {
    }

    private final FpinReports reports;

    FpinApiController(FpinReports reports) {
        this.reports = reports;
    }

    @PostMapping("/api/hosts/fpin")
    ResponseEntity<Stored> report(@RequestBody FpinReports.Report report) {
        return ResponseEntity.accepted().body(new Stored(reports.record(report)));
    }
}
