package org.vfzone.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * vfzone's own security settings (directory and single sign-on have theirs: {@link DirectoryProperties},
 * {@link OidcProperties}).
 *
 * @param adminPassword the first start's {@code admin} password ({@code VFZONE_ADMIN_PASSWORD}); unset, a random one
 *                      is written once to the log
 * @param secretKey     the key that encrypts stored switch passwords and webhook secrets (base64, 32 bytes); unset,
 *                      one is made and kept in the data directory
 * @param security      API token and password hashing settings
 */
@ConfigurationProperties("vfzone")
public record SecurityProperties(@DefaultValue("") String adminPassword, @DefaultValue("") String secretKey,
                                 @DefaultValue Tokens security) {

    /**
     * @param tokenCache   whether verified API tokens are cached (revocations reach every node at once)
     * @param passwordCost BCrypt's cost (log2 of its rounds, 4–31) for passwords set from now on; a stored hash keeps
     *                     the cost it was made with
     */
    public record Tokens(@DefaultValue("true") boolean tokenCache, @DefaultValue("10") int passwordCost) {
        public Tokens {
            if (passwordCost < 4 || passwordCost > 31) {
                throw new IllegalArgumentException("vfzone.security.password-cost must be 4 to 31, not " + passwordCost);
            }
        }
    }
}
