package org.vfzone.security;

import java.security.Principal;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.vfzone.system.InventoryException;

/** User management (ADMIN) and each user's own password change. */
@Controller
class UserController {

    private final UserService users;

    UserController(UserService users) {
        this.users = users;
    }

    @GetMapping("/users")
    String list(Model model) {
        model.addAttribute("users", users.list());
        model.addAttribute("roles", Role.values());
        return "users/list";
    }

    @PostMapping("/users")
    String create(@RequestParam String username, @RequestParam String password, @RequestParam Role role,
                  RedirectAttributes flash) {
        try {
            users.create(username.strip(), password, role);
            flash.addFlashAttribute("message", "User " + username.strip() + " created");
        } catch (InventoryException e) {
            flash.addFlashAttribute("error", e.field() + " " + e.getMessage());
        }
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
        try {
            users.resetPassword(id, password);
            flash.addFlashAttribute("message", "Password reset");
        } catch (InventoryException e) {
            flash.addFlashAttribute("error", "Password " + e.getMessage());
        }
        return "redirect:/users";
    }

    @GetMapping("/account")
    String account() {
        return "users/account";
    }

    @PostMapping("/account/password")
    String changePassword(@RequestParam String currentPassword, @RequestParam String newPassword, Principal user,
                          RedirectAttributes flash) {
        try {
            users.changePassword(user.getName(), currentPassword, newPassword);
            flash.addFlashAttribute("message", "Your password was changed");
        } catch (InventoryException e) {
            flash.addFlashAttribute("error", ("currentPassword".equals(e.field()) ? "Current password " : "New password ")
                    + e.getMessage());
        }
        return "redirect:/account";
    }
}
