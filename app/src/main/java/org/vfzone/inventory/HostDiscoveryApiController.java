package org.vfzone.inventory;

import java.security.Principal;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Hosts' FC inventory reports (COLLECTOR tokens) and the proposals they make (OPERATOR accepts). */
@RestController
@io.swagger.v3.oas.annotations.tags.Tag(name = "Host discovery", description = "FC inventory reported by each host's collector, and the proposals it makes")
class HostDiscoveryApiController {

    private final HostDiscovery discovery;

    HostDiscoveryApiController(HostDiscovery discovery) {
        this.discovery = discovery;
    }

    record Received(int proposals) {
    }

    /** A collector's report of its host: every FC port with PCI address, WWNs, SR-IOV VFs and NPIV vports. */
    @PostMapping("/api/hosts/discovery")
    ResponseEntity<Received> report(@Valid @RequestBody HostDiscovery.Report report, Principal who) {
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .body(new Received(discovery.receive(report, who.getName()).size()));
    }

    @GetMapping("/api/hosts/discovery/proposals")
    List<HostDiscovery.Proposal> proposals() {
        return discovery.proposals();
    }

    record Acceptance(@NotEmpty @Size(max = 10_000) List<String> keys) {
    }

    record Accepted(List<String> done) {
    }

    @PostMapping("/api/hosts/discovery/accept")
    Accepted accept(@Valid @RequestBody Acceptance acceptance, Principal who) {
        return new Accepted(discovery.accept(acceptance.keys(), who.getName()));
    }
}
