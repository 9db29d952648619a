package org.vfzone.security;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** Tells the sign-in page whether single sign-on is offered, and under which name. */
@ControllerAdvice
class SignInOptions {

    private final ObjectProvider<OidcProperties> oidc;

    // a provider: web slices that load the controller advice without the configuration properties still start
    SignInOptions(ObjectProvider<OidcProperties> oidc) {
        this.oidc = oidc;
    }

    @ModelAttribute("singleSignOn")
    String singleSignOn() {
        OidcProperties properties = oidc.getIfAvailable();
        return properties != null && properties.enabled() ? properties.displayName() : null;
    }
}
