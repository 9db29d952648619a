package org.vfzone.security;

import java.security.Principal;

import org.vfzone.system.PageController;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** User management (ADMIN) and each user's own password change. */
@PageController
class UserController {

    private final UserService users;
    private final ApiTokenService tokens;

    UserController(UserService users, ApiTokenService tokens) {
        this.users = users;
        this.tokens = tokens;
    }

    @GetMapping("/users")
    String list(Model model) {
        model.addAttribute("users", users.list());
        model.addAttribute("roles", Role.values());
        model.addAttribute("tokens", tokens.list());
        return "users/list";
    }

    /** Creates an API token and shows it this once; vfzone keeps only its hash. */
    @PostMapping("/users/tokens")
    String createToken(@RequestParam String name, @RequestParam(defaultValue = "COLLECTOR") String role,
                       Principal user, RedirectAttributes flash) {
        ApiTokenService.Created created = tokens.create(name.strip(), role, user.getName());
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
                  RedirectAttributes flash) {
        users.create(username.strip(), password, role);
        flash.addFlashAttribute("message", "User " + username.strip() + " created");
        return "redirect:/users";
    }

    @PostMapping("/users/{id}")
    String update(@PathVariable long id, @RequestParam Role role, @RequestParam(defaultValue = "false") boolean enabled,
                  RedirectAttributes flash) {
        users.update(id, role, enabled);
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
    String account() {
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
