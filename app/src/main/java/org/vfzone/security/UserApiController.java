package org.vfzone.security;

import java.net.URI;
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
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.vfzone.inventory.FabricService;

/** Local users with their role and fabric scope (ADMIN), and who the caller is and what they may do where. */
@RestController
@io.swagger.v3.oas.annotations.tags.Tag(name = "Users", description = "Local users, their roles and fabric scopes (ADMIN); the caller's own grants")
class UserApiController {

    private final UserService users;
    private final FabricAccess access;
    private final FabricService fabrics;

    UserApiController(UserService users, FabricAccess access, FabricService fabrics) {
        this.users = users;
        this.access = access;
        this.fabrics = fabrics;
    }

    record UserDto(long id, String username, Role role, boolean enabled, boolean allFabrics, Set<Long> fabricIds,
                   String scope) {
    }

    /** A password is only ever written, never shown back. */
    record NewUser(@NotNull @Size(max = 64) String username, @NotNull @Size(max = 200) String password,
                   @NotNull Role role, Boolean allFabrics, @Size(max = 1000) Set<Long> fabricIds) {
    }

    record UserChange(@NotNull Role role, Boolean enabled, Boolean allFabrics, @Size(max = 1000) Set<Long> fabricIds) {
    }

    private UserDto dto(AppUser user) {
        return dto(user, users.describer());
    }

    private static UserDto dto(AppUser user, Function<FabricScope, String> describe) {
        return new UserDto(user.getId(), user.getUsername(), user.getRole(), user.isEnabled(),
                user.getScope().allFabrics(), user.getScope().fabricIds(), describe.apply(user.getScope()));
    }

    private static FabricScope scopeOf(Boolean allFabrics, Set<Long> fabricIds) {
        if (allFabrics == null && fabricIds == null) {
            return null;
        }
        return Boolean.FALSE.equals(allFabrics) || (allFabrics == null && fabricIds != null)
                ? FabricScope.only(fabricIds == null ? Set.of() : fabricIds) : FabricScope.ALL;
    }

    @GetMapping("/api/users")
    List<UserDto> list() {
        Function<FabricScope, String> describe = users.describer();
        return users.list().stream().map(user -> dto(user, describe)).toList();
    }

    @PostMapping("/api/users")
    ResponseEntity<UserDto> create(@Valid @RequestBody NewUser body) {
        FabricScope scope = scopeOf(body.allFabrics(), body.fabricIds());
        AppUser created = users.create(body.username().strip(), body.password(), body.role(),
                scope == null ? FabricScope.ALL : scope);
        return ResponseEntity.created(URI.create("/api/users/" + created.getId())).body(dto(created));
    }

    @PutMapping("/api/users/{id}")
    UserDto update(@PathVariable long id, @Valid @RequestBody UserChange body) {
        AppUser user = users.get(id);
        users.update(id, body.role(), body.enabled() == null ? user.isEnabled() : body.enabled(),
                scopeOf(body.allFabrics(), body.fabricIds()));
        return dto(users.get(id));
    }

    record FabricRole(long fabricId, String fabricName, Role role) {
    }

    record Me(String username, String grants, List<FabricRole> fabrics) {
    }

    /** The caller's grants and their role on each fabric: what the UI shows on the account page. */
    @GetMapping("/api/me")
    Me me(Authentication auth) {
        List<FabricRole> roles = fabrics.list().stream()
                .map(fabric -> new FabricRole(fabric.getId(), fabric.getName(),
                        FabricAccess.roleOn(auth, fabric.getId()).orElse(null)))
                .toList();
        return new Me(auth.getName(), access.describe(auth), roles);
    }
}
