package org.vfzone.security;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** API tokens (ADMIN): each acts for its maker with the maker's rights at most, on the fabrics listed. */
@RestController
@io.swagger.v3.oas.annotations.tags.Tag(name = "API tokens", description = "Tokens for machines (ADMIN); a token is shown once")
class TokenApiController {

    private final ApiTokenService tokens;
    private final UserService users;

    TokenApiController(ApiTokenService tokens, UserService users) {
        this.tokens = tokens;
        this.users = users;
    }

    record TokenDto(long id, String name, String role, boolean allFabrics, Set<Long> fabricIds, String fabrics,
                    String createdBy, Instant createdAt, Instant lastUsedAt, boolean revoked) {
    }

    /** {@code allFabrics} absent and no {@code fabricIds}: all the maker's fabrics. */
    record NewToken(@NotNull @Size(max = 64) String name, @NotNull @Size(max = 16) String role, Boolean allFabrics,
                    @Size(max = 1000) Set<Long> fabricIds) {
    }

    /** The secret, this once. */
    record CreatedToken(long id, String name, String token) {
    }

    @GetMapping("/api/tokens")
    List<TokenDto> list() {
        Function<FabricScope, String> describe = users.describer();
        return tokens.list().stream().map(t -> new TokenDto(t.id(), t.name(), t.role(), t.scope().allFabrics(),
                t.scope().fabricIds(), describe.apply(t.scope()), t.createdBy(), t.createdAt(), t.lastUsedAt(),
                t.revoked())).toList();
    }

    @PostMapping("/api/tokens")
    ResponseEntity<CreatedToken> create(@Valid @RequestBody NewToken body, Authentication auth) {
        FabricScope scope = body.allFabrics() == null && body.fabricIds() == null ? null
                : Boolean.TRUE.equals(body.allFabrics()) ? FabricScope.ALL
                : FabricScope.only(body.fabricIds() == null ? Set.of() : body.fabricIds());
        ApiTokenService.Created created = tokens.create(body.name().strip(), body.role(), auth.getName(), scope);
        return ResponseEntity.created(URI.create("/api/tokens/" + created.id()))
                .body(new CreatedToken(created.id(), created.name(), created.token()));
    }

    @PostMapping("/api/tokens/{id}/revoke")
    ResponseEntity<Void> revoke(@PathVariable long id) {
        tokens.revoke(id);
        return ResponseEntity.noContent().build();
    }
}
