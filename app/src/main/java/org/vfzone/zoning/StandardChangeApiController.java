package org.vfzone.zoning;

import java.net.URI;
import java.security.Principal;
import java.util.List;

import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Standard change policies: proposed by an OPERATOR, activated by another person with APPROVER. */
@RestController
@io.swagger.v3.oas.annotations.tags.Tag(name = "Standard changes", description = "Pre-approved zoning change policies (four eyes once, then automatic approval of change sets inside them)")
@RequestMapping("/api/standard-changes")
class StandardChangeApiController {

    private final StandardChanges standardChanges;

    StandardChangeApiController(StandardChanges standardChanges) {
        this.standardChanges = standardChanges;
    }

    record PolicyDto(StandardChanges.Policy policy, String summary) {
    }

    private PolicyDto dto(StandardChanges.Policy policy) {
        return new PolicyDto(policy, standardChanges.describe(policy));
    }

    @GetMapping
    List<PolicyDto> list() {
        return standardChanges.list().stream().map(this::dto).toList();
    }

    @GetMapping("/{id}")
    PolicyDto get(@PathVariable long id) {
        return dto(standardChanges.get(id));
    }

    @PostMapping
    ResponseEntity<PolicyDto> propose(@Valid @RequestBody StandardChanges.PolicyForm form, Principal user) {
        StandardChanges.Policy policy = standardChanges.propose(form, user.getName());
        return ResponseEntity.created(URI.create("/api/standard-changes/" + policy.id())).body(dto(policy));
    }

    @PostMapping("/{id}/approve")
    PolicyDto approve(@PathVariable long id, Principal user) {
        return dto(standardChanges.approve(id, user.getName()));
    }

    @PostMapping("/{id}/revoke")
    PolicyDto revoke(@PathVariable long id, Principal user) {
        return dto(standardChanges.revoke(id, user.getName()));
    }
}
