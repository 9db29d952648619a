package org.vfzone.security;

import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Tells the sign-in page whether single sign-on is offered, and under which name. */
@ControllerAdvice
class SignInOptions {

    private final OidcProperties oidc;

    SignInOptions(OidcProperties oidc) {
        this.oidc = oidc;
    }

    @ModelAttribute("singleSignOn")
    String singleSignOn() {
        return oidc.enabled() ? oidc.displayName() : null;
    }
}
