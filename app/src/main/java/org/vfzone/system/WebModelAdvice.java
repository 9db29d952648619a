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

    /**
     * A page action refused by a rule (or by a concurrent change): back to the page the form was on, saying why,
     * as every page action does; without a page to go back to, the error page with the status. Page controllers
     * need no try/catch of their own for this.
     */
    @ExceptionHandler({RuleViolation.class,
            org.springframework.orm.ObjectOptimisticLockingFailureException.class,
            org.springframework.dao.DataIntegrityViolationException.class})
    String refused(Exception e, jakarta.servlet.http.HttpServletRequest request,
                   jakarta.servlet.http.HttpServletResponse response, Model model) {
        String message = e instanceof RuleViolation rule ? rule.getMessage()
                : e instanceof org.springframework.dao.DataIntegrityViolationException integrity
                ? ConstraintMessages.describe(integrity)
                : "Someone else changed this object meanwhile; reload and try again";
        String back = sameSitePath(request);
        if (!"GET".equals(request.getMethod()) && back != null) {
            org.springframework.web.servlet.FlashMap flash =
                    org.springframework.web.servlet.support.RequestContextUtils.getOutputFlashMap(request);
            flash.put("error", message);
            org.springframework.web.servlet.support.RequestContextUtils.saveOutputFlashMap(back, request, response);
            return "redirect:" + back;
        }
        HttpStatus status = e instanceof RuleViolation rule ? rule.status() : HttpStatus.CONFLICT;
        response.setStatus(status.value());
        currentUser(model);
        model.addAttribute("status", status.value());
        model.addAttribute("message", message);
        return "error";
    }

    /** The path of the page the request came from, when it is one of vfzone's own pages. */
    private static String sameSitePath(jakarta.servlet.http.HttpServletRequest request) {
        String referer = request.getHeader("Referer");
        if (referer == null) {
            return null;
        }
        try {
            java.net.URI uri = java.net.URI.create(referer);
            if (uri.getHost() != null && !uri.getHost().equalsIgnoreCase(request.getServerName())) {
                return null;
            }
            String path = uri.getRawPath();
            if (path == null || !path.startsWith("/") || path.startsWith("//")) {
                return null;
            }
            String context = request.getContextPath();
            String local = path.startsWith(context) ? path.substring(context.length()) : path;
            return local + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        } catch (IllegalArgumentException bad) {
            return null;
        }
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
