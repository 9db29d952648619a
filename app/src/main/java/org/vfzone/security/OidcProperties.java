package org.vfzone.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Single sign-on through an OpenID Connect provider ({@code vfzone.oidc.*}: Keycloak, Entra ID, Okta…), beside the
 * form and directory sign-in. Off while {@code issuer-uri} is not set. The provider's group claim maps to roles and
 * fabrics exactly as directory groups do.
 *
 * @param issuerUri     the provider's issuer; its discovery document is read at start
 * @param clientId      vfzone's client id at the provider
 * @param clientSecret  its secret (never logged or shown)
 * @param displayName   what the sign-in page calls the provider ("Sign in with …")
 * @param usernameClaim the claim naming the person ({@code preferred_username}; Entra ID: {@code upn} or
 *                      {@code preferred_username})
 * @param groupsClaim   the claim listing the person's groups ({@code groups}; Entra ID sends group object ids there)
 * @param scopes        scopes asked for; {@code openid} is always among them
 * @param groups        provider group → role and fabrics, as {@code vfzone.directory.groups}
 */
@ConfigurationProperties("vfzone.oidc")
public record OidcProperties(
        String issuerUri,
        String clientId,
        String clientSecret,
        @DefaultValue("single sign-on") String displayName,
        @DefaultValue("preferred_username") String usernameClaim,
        @DefaultValue("groups") String groupsClaim,
        @DefaultValue({"openid", "profile", "email"}) List<String> scopes,
        @DefaultValue List<DirectoryProperties.GroupGrant> groups) {

    public boolean enabled() {
        return issuerUri != null && !issuerUri.isBlank();
    }

    @Override
    public String toString() {
        return "OidcProperties[issuerUri=" + issuerUri + ", clientId=" + clientId + ", clientSecret="
                + (clientSecret == null ? "not set" : "(set)") + ", groups=" + groups + "]";
    }
}
