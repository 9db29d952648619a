package org.vfzone.security;

import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.security.core.Authentication;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.vfzone.inventory.FabricService;
import org.vfzone.system.PageController;

/** User management (ADMIN) and each user's own password change. */
@PageController
class UserController {

    private final UserService users;
    private final ApiTokenService tokens;
    private final FabricService fabrics;
    private final FabricAccess access;

    UserController(UserService users, ApiTokenService tokens, FabricService fabrics,
                   FabricAccess access) {
        this.users = users;
        this.tokens = tokens;
        this.fabrics = fabrics;
        this.access = access;
    }

    /** The form's scope: "all" (or nothing sent: keep / default) or "chosen" with the ticked fabrics. */
    private static FabricScope scopeOf(String scope, List<Long> fabricIds) {
        if (scope == null) {
            return null;
        }
        return "chosen".equals(scope) ? FabricScope.only(fabricIds == null ? Set.of()
                : Set.copyOf(fabricIds)) : FabricScope.ALL;
    }

    @GetMapping("/users")
    String list(Model model) {
        List<AppUser> all = users.list();
        Function<FabricScope, String> describe = users.describer();
        model.addAttribute("users", all);
        model.addAttribute("userScopes", all.stream().collect(Collectors.toMap(AppUser::getId,
                u -> describe.apply(u.getScope()))));
        model.addAttribute("roles", Role.values());
        List<ApiTokenService.Listed> listed = tokens.list();
        model.addAttribute("tokens", listed);
        model.addAttribute("tokenScopes", listed.stream().collect(Collectors.toMap(
                ApiTokenService.Listed::id, t -> describe.apply(t.scope()))));
        model.addAttribute("fabrics", fabrics.list());
        return "users/list";
    }

    /** Creates an API token and shows it this once; vfzone keeps only its hash. */
    @PostMapping("/users/tokens")
    String createToken(@RequestParam String name, @RequestParam(defaultValue = "COLLECTOR") String role,
                       @RequestParam(required = false) String scope,
                       @RequestParam(name = "fabricIds", required = false) List<Long> fabricIds,
                       Principal user, RedirectAttributes flash) {
        ApiTokenService.Created created = tokens.create(name.strip(), role, user.getName(),
                scopeOf(scope, fabricIds));
        flash.addFlashAttribute("newToken", created.token());
        flash.addFlashAttribute("message", "Token " + created.name() + " created. Copy it now: it is not shown again.");
        return "redirect:/users";
    }

    @PostMapping("/users/tokens/{id}/revoke")
    String revokeToken(@PathVariable long id, RedirectAttributes flash) {
        tokens.revoke(id);
        flash.addFlashAttribute("message", "Token revoked");
        return "redirect:/users";
    }

    @PostMapping("/users")
    String create(@RequestParam String username, @RequestParam String password, @RequestParam Role role,
                  @RequestParam(required = false) String scope,
                  @RequestParam(name = "fabricIds", required = false) List<Long> fabricIds,
                  RedirectAttributes flash) {
        FabricScope chosen = scopeOf(scope, fabricIds);
        users.create(username.strip(), password, role, chosen == null ? FabricScope.ALL : chosen);
        flash.addFlashAttribute("message", "User " + username.strip() + " created");
        return "redirect:/users";
    }

    @PostMapping("/users/{id}")
    String update(@PathVariable long id, @RequestParam Role role, @RequestParam(defaultValue = "false") boolean enabled,
                  @RequestParam(required = false) String scope,
                  @RequestParam(name = "fabricIds", required = false) List<Long> fabricIds,
                  RedirectAttributes flash) {
        users.update(id, role, enabled, scopeOf(scope, fabricIds));
        flash.addFlashAttribute("message", "User saved");
        return "redirect:/users";
    }

    @PostMapping("/users/{id}/password")
    String resetPassword(@PathVariable long id, @RequestParam String password, RedirectAttributes flash) {
        users.resetPassword(id, password);
        flash.addFlashAttribute("message", "Password reset");
        return "redirect:/users";
    }

    @GetMapping("/account")
    String account(Model model, Authentication auth) {
        model.addAttribute("grants", access.describe(auth));
        model.addAttribute("localUser", users.isLocal(auth.getName()));
        model.addAttribute("fabricRoles", fabrics.list().stream().map(fabric -> Map.of("name",
                fabric.getName(), "role", FabricAccess.roleOn(auth, fabric.getId()).map(Enum::name).orElse("none")))
                .toList());
        return "users/account";
    }

    @PostMapping("/account/password")
    String changePassword(@RequestParam String currentPassword, @RequestParam String newPassword, Principal user,
                          RedirectAttributes flash) {
        users.changePassword(user.getName(), currentPassword, newPassword);
        flash.addFlashAttribute("message", "Your password was changed");
        return "redirect:/account";
    }
}
