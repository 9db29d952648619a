package org.vfzone.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a sign-in attempt (the login form's POST, or an HTTP Basic request) while {@link LoginThrottle} says its
 * user and address must wait: the form goes back to the login page saying so, the API answers 429 with
 * Retry-After. The password is not checked then, so guessing gains nothing.
 */
class LoginThrottleFilter extends OncePerRequestFilter {

    private final LoginThrottle throttle;

    LoginThrottleFilter(LoginThrottle throttle) {
        this.throttle = throttle;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean form = "POST".equals(request.getMethod())
                && "/login".equals(request.getRequestURI().substring(request.getContextPath().length()));
        String username = form ? request.getParameter("username") : basicUser(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (username != null || form) {
            Optional<Duration> wait = throttle.wait(username, request.getRemoteAddr());
            if (wait.isPresent()) {
                long seconds = Math.max(1, wait.get().toSeconds());
                if (form) {
                    response.sendRedirect(request.getContextPath() + "/login?locked=" + seconds);
                } else {
                    response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(seconds));
                    response.sendError(429, "Too many failed sign-ins; retry in " + seconds + " s");
                }
                return;
            }
        }
        chain.doFilter(request, response);
    }

    private static String basicUser(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : decoded.substring(0, colon);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
