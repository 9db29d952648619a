package org.vfzone.security;

import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;
import org.vfzone.audit.AuditLog;

/** Counts sign-in outcomes for the throttle and audits every failure with the user name and address. */
@Component
class LoginAttempts {

    private final LoginThrottle throttle;
    private final AuditLog audit;

    LoginAttempts(LoginThrottle throttle, AuditLog audit) {
        this.throttle = throttle;
        this.audit = audit;
    }

    @EventListener
    void failed(AbstractAuthenticationFailureEvent event) {
        // shown as typed, control characters made visible: a name cannot forge a line of the trail or of syslog
        String given = AuditLog.visible(String.valueOf(event.getAuthentication().getName()));
        // whatever was typed, bounded: it is only a record of the attempt
        String username = given.length() > 64 ? given.substring(0, 61) + "..." : given;
        String address = address(event.getAuthentication().getDetails());
        throttle.failed(username, address);
        audit.recordIndependently(username, "LOGIN_FAILED", "user", null, "Failed sign-in as " + username + " from "
                + address + ": " + event.getException().getClass().getSimpleName(), null);
    }

    @EventListener
    void succeeded(AuthenticationSuccessEvent event) {
        throttle.succeeded(event.getAuthentication().getName(), address(event.getAuthentication().getDetails()));
    }

    private static String address(Object details) {
        return details instanceof WebAuthenticationDetails web ? web.getRemoteAddress() : "unknown";
    }
}
