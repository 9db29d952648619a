package org.vfzone.provisioning;

import java.net.URI;
import java.security.Principal;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Provisioning and decommissioning as jobs: answered at once, followed at {@code /api/jobs/{id}}. */
@RestController
@io.swagger.v3.oas.annotations.tags.Tag(name = "Provisioning", description = "One call from a new VM to zoned storage, one to decommission it; both as jobs")
class ProvisioningApiController {

    private final Provisioning provisioning;

    ProvisioningApiController(Provisioning provisioning) {
        this.provisioning = provisioning;
    }

    /**
     * Creates or updates the VM, allocates its identity and VFs, grants the arrays, plans each fabric for it and pushes
     * what a standard change approves. The same call again answers the same job and never allocates twice.
     */
    @PostMapping("/api/provision")
    ResponseEntity<Provisioning.Job> provision(@Valid @RequestBody Provisioning.ProvisionRequest request,
                                               Principal user) {
        Provisioning.Job job = provisioning.provision(request, user.getName());
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create("/api/jobs/" + job.id())).body(job);
    }

    /** Removes the VM's zones (standard change where covered), then frees its VFs, quarantines its WWNs, deletes it. */
    @PostMapping("/api/vms/{id}/decommission")
    ResponseEntity<Provisioning.Job> decommission(@PathVariable long id, Principal user) {
        Provisioning.Job job = provisioning.decommission(id, user.getName());
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create("/api/jobs/" + job.id())).body(job);
    }

    @GetMapping("/api/jobs/{id}")
    Provisioning.Job job(@PathVariable UUID id) {
        return provisioning.get(id);
    }

    @GetMapping("/api/jobs")
    List<Provisioning.Job> jobs() {
        return provisioning.recent(100);
    }
}
