package org.vfzone.system;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.http.HttpStatus;

/** What every page needs to know about the signed-in user, and the page shown for a missing object. */
@ControllerAdvice(annotations = Controller.class)
class WebModelAdvice {

    private final org.springframework.security.access.hierarchicalroles.RoleHierarchy roleHierarchy;

    WebModelAdvice(org.springframework.security.access.hierarchicalroles.RoleHierarchy roleHierarchy) {
        this.roleHierarchy = roleHierarchy;
    }

    @ModelAttribute
    void currentUser(Model model) {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth == null || !auth.isAuthenticated()) {
            return;
        }
        var roles = roleHierarchy.getReachableGrantedAuthorities(auth.getAuthorities()).stream()
                .map(a -> a.getAuthority()).toList();
        model.addAttribute("currentUser", auth.getName());
        model.addAttribute("canEdit", roles.contains("ROLE_OPERATOR"));
        model.addAttribute("isAdmin", roles.contains("ROLE_ADMIN"));
    }

    @ExceptionHandler(NotFoundException.class)
    @ResponseStatus(HttpStatus.NOT_FOUND)
    String notFound(NotFoundException e, Model model) {
        currentUser(model);
        model.addAttribute("status", 404);
        model.addAttribute("message", e.getMessage());
        return "error";
    }
}
