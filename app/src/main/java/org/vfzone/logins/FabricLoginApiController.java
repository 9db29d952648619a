package org.vfzone.logins;

import java.security.Principal;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.vfzone.inventory.FabricService;
import org.vfzone.inventory.VmService;
import org.vfzone.system.NotFoundException;

/** JSON API of fabric logins: who is logged in where, discovery on demand, ignored unknown devices. */
@RestController
@io.swagger.v3.oas.annotations.tags.Tag(name = "Fabric logins", description = "Devices logged in to each fabric (name server), known, unknown or ignored")
@RequestMapping("/api")
class FabricLoginApiController {

    private final LoginQueries logins;
    private final LoginDiscovery discovery;
    private final IgnoredLogins ignored;
    private final FabricService fabrics;
    private final VmService vms;

    FabricLoginApiController(LoginQueries logins, LoginDiscovery discovery, IgnoredLogins ignored,
                             FabricService fabrics, VmService vms) {
        this.vms = vms;
        this.logins = logins;
        this.discovery = discovery;
        this.ignored = ignored;
        this.fabrics = fabrics;
    }

    record IgnoreRequest(@NotBlank String reason) {
    }

    /** The fabric's logins as last discovered: unknown devices first, then ignored ones, then known ones. */
    @GetMapping("/fabrics/{id}/logins")
    List<LoginQueries.FabricLogin> ofFabric(@PathVariable long id) {
        fabrics.get(id);
        return logins.ofFabric(id);
    }

    /** Reads the fabric's name server now; an unreadable switch is reported in the result, not as an error. */
    @PostMapping("/fabrics/{id}/discover")
    LoginDiscovery.Result discover(@PathVariable long id) {
        return discovery.discover(id);
    }

    /** Per fabric, whether the VM's active or standby WWPN is logged in. */
    @GetMapping("/vms/{id}/logins")
    List<LoginQueries.VmLogin> ofVm(@PathVariable long id) {
        vms.get(id);
        return logins.ofVm(id);
    }

    @GetMapping("/ignored-logins")
    List<IgnoredLogins.IgnoredLogin> ignored() {
        return ignored.list();
    }

    @PutMapping("/ignored-logins/{wwpn}")
    IgnoredLogins.IgnoredLogin ignore(@PathVariable String wwpn, @Valid @RequestBody IgnoreRequest request,
                                      Principal user) {
        return ignored.ignore(wwpn, request.reason(), user.getName());
    }

    @DeleteMapping("/ignored-logins/{wwpn}")
    ResponseEntity<Void> unignore(@PathVariable String wwpn, Principal user) {
        if (!ignored.unignore(wwpn, user.getName())) {
            throw new NotFoundException("Ignored device", wwpn);
        }
        return ResponseEntity.noContent().build();
    }
}
