package org.vfzone.system;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.ui.Model;
import org.springframework.util.ClassUtils;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.FlashMap;
import org.springframework.web.servlet.support.RequestContextUtils;
import tools.jackson.databind.json.JsonMapper;

/** For page controllers only: what every page needs to know about the signed-in user, and how a refused page action is shown. */
@ControllerAdvice(annotations = PageController.class)
class WebModelAdvice {

    private final RoleHierarchy roleHierarchy;

    WebModelAdvice(RoleHierarchy roleHierarchy) {
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
        model.addAttribute("canApprove", roles.contains("ROLE_APPROVER"));
        model.addAttribute("isAdmin", roles.contains("ROLE_ADMIN"));
    }

    /**
     * A page action refused by a rule (or by a concurrent change): back to the page the form was on, saying why,
     * as every page action does (a page that cannot be shown sends the admin back to the page with the link);
     * without a page to go back to, the error page with the status. Page controllers need no try/catch of their
     * own for this; forms that show errors next to their fields still catch to re-render the form.
     */
    @ExceptionHandler({RuleViolation.class,
            ObjectOptimisticLockingFailureException.class,
            DataIntegrityViolationException.class,
            MissingServletRequestParameterException.class,
            MethodArgumentTypeMismatchException.class})
    String refused(Exception e, HttpServletRequest request,
                   HttpServletResponse response, Model model) {
        if (e instanceof MissingServletRequestParameterException missing) {
            e = RuleViolation.invalid(missing.getParameterName(), "is required");
        } else if (e instanceof MethodArgumentTypeMismatchException mismatch) {
            e = RuleViolation.invalid(mismatch.getName(), "\"" + String.valueOf(mismatch.getValue()).strip()
                    + "\" is not " + (mismatch.getRequiredType() != null && Number.class.isAssignableFrom(
                    ClassUtils.resolvePrimitiveIfNecessary(mismatch.getRequiredType()))
                    ? "a number" : "one of the values offered"));
        }
        String message = e instanceof RuleViolation rule ? describe(rule)
                : e instanceof DataIntegrityViolationException integrity
                ? ConstraintMessages.describe(integrity)
                : "Someone else changed this object meanwhile; reload and try again";
        String back = sameSitePath(request);
        // a form posted to its own page's address goes back to that page (a GET); only a page that fails to show
        // itself would loop, so that one gets the error page
        if (back != null && (!back.equals(currentPath(request)) || !"GET".equals(request.getMethod()))) {
            FlashMap flash =
                    RequestContextUtils.getOutputFlashMap(request);
            flash.put("error", message);
            if ("POST".equals(request.getMethod())) {
                flash.put("formState", formState(request, e instanceof RuleViolation rule ? rule : null));
            }
            RequestContextUtils.saveOutputFlashMap(back, request, response);
            return "redirect:" + back;
        }
        HttpStatus status = e instanceof RuleViolation rule ? rule.status() : HttpStatus.CONFLICT;
        response.setStatus(status.value());
        currentUser(model);
        model.addAttribute("status", status.value());
        model.addAttribute("message", message);
        return "error";
    }

    /**
     * What the refused form held, for the page it returns to: the form's path, the values typed (never passwords,
     * secrets or tokens) and the field at fault with the reason, so the page fills the form in again and shows the
     * reason beside the field (vfzone.js reads it).
     */
    static String formState(HttpServletRequest request, RuleViolation rule) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("action", request.getRequestURI().substring(request.getContextPath().length()));
        Map<String, List<String>> typed = new LinkedHashMap<>();
        request.getParameterMap().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!name.equals("_csrf") && !lower.contains("password") && !lower.contains("secret")
                    && !lower.contains("token") && values.length <= 1000) {
                typed.put(name, List.of(values));
            }
        });
        state.put("values", typed);
        if (rule != null && rule.field() != null && !rule.field().isBlank()) {
            state.put("field", rule.field());
            state.put("message", rule.getMessage());
        }
        // written raw into a data <script>: no "<", ">" or "&" may appear, so none can close the element (JSON
        // escapes them inside strings, the only place they can be)
        return new JsonMapper().writeValueAsString(state).replace("<", "\\u003c")
                .replace(">", "\\u003e").replace("&", "\\u0026");
    }

    /** "Password: must be at least 12 characters": the field at fault first, since a page may have several. */
    static String describe(RuleViolation rule) {
        if (rule.field() == null || rule.field().isBlank()) {
            return rule.getMessage();
        }
        String label = rule.field().replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
        return Character.toUpperCase(label.charAt(0)) + label.substring(1) + ": " + rule.getMessage();
    }

    private static String currentPath(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
    }

    /** The path of the page the request came from, when it is one of vfzone's own pages. */
    private static String sameSitePath(HttpServletRequest request) {
        String referer = request.getHeader("Referer");
        if (referer == null) {
            return null;
        }
        try {
            URI uri = URI.create(referer);
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
