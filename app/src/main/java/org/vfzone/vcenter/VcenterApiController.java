package org.vfzone.vcenter;

import java.util.List;

import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** JSON API of vCenter connections (ADMIN changes them), their polls, and which vCenter reports a VM. */
@RestController
@RequestMapping("/api")
class VcenterApiController {

    /** A connection with its last poll (null before the first). */
    record VcenterWithStatus(VcenterConnections.View vcenter, VcenterQueries.Status status) {
    }

    private final VcenterConnections connections;
    private final VcenterPoller poller;
    private final VcenterQueries queries;

    VcenterApiController(VcenterConnections connections, VcenterPoller poller, VcenterQueries queries) {
        this.connections = connections;
        this.poller = poller;
        this.queries = queries;
    }

    @GetMapping("/vcenters")
    List<VcenterWithStatus> list() {
        return connections.list().stream().map(v -> new VcenterWithStatus(v, queries.status(v.id()).orElse(null)))
                .toList();
    }

    @GetMapping("/vcenters/{id}")
    VcenterWithStatus get(@PathVariable long id) {
        return new VcenterWithStatus(connections.get(id), queries.status(id).orElse(null));
    }

    @PostMapping("/vcenters")
    @ResponseStatus(HttpStatus.CREATED)
    VcenterConnections.View create(@Valid @RequestBody VcenterForm form) {
        return connections.create(form);
    }

    @PutMapping("/vcenters/{id}")
    VcenterConnections.View update(@PathVariable long id, @Valid @RequestBody VcenterForm form) {
        return connections.update(id, form);
    }

    @DeleteMapping("/vcenters/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable long id) {
        connections.delete(id);
    }

    /** Signs in and reads what a poll reads, storing nothing; a refusal is a result, not an error. */
    @PostMapping("/vcenters/{id}/test")
    VcenterPoller.Result test(@PathVariable long id) {
        connections.get(id);
        return poller.test(id);
    }

    /** Reads the vCenter now and stores its VMs' samples. */
    @PostMapping("/vcenters/{id}/poll")
    VcenterPoller.Result poll(@PathVariable long id) {
        return poller.poll(id);
    }

    @GetMapping("/vms/{id}/vcenters")
    List<VcenterQueries.OfVm> ofVm(@PathVariable long id) {
        return queries.ofVm(id);
    }
}
