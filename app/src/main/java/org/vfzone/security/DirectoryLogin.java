package org.vfzone.security;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.ldap.core.DirContextOperations;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.ldap.DefaultSpringSecurityContextSource;
import org.springframework.security.ldap.authentication.BindAuthenticator;
import org.springframework.security.ldap.authentication.LdapAuthenticationProvider;
import org.springframework.security.ldap.search.FilterBasedLdapUserSearch;
import org.springframework.security.ldap.userdetails.DefaultLdapAuthoritiesPopulator;
import org.springframework.security.ldap.userdetails.LdapUserDetails;
import org.springframework.security.ldap.userdetails.LdapUserDetailsMapper;
import org.vfzone.inventory.FabricService;

/**
 * Signs people in against the directory: finds them with the search filter, binds as them with the password they
 * typed, reads their groups and maps each group to a role on all fabrics or on named ones. A name that is a local
 * user is never looked up in the directory (local users are for break-glass; one name, one account). A directory
 * account in no mapped group cannot sign in.
 */
class DirectoryLogin implements AuthenticationProvider, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DirectoryLogin.class);

    private final DirectoryProperties properties;
    private final UserService users;
    private final FabricService fabrics;
    private final DemoDirectory embedded;
    private final LdapAuthenticationProvider ldap;

    DirectoryLogin(DirectoryProperties properties, UserService users, FabricService fabrics) {
        this.properties = properties;
        this.users = users;
        this.fabrics = fabrics;
        this.embedded = properties.embeddedLdif() == null || properties.embeddedLdif().isBlank() ? null
                : startEmbedded(properties);
        String url = embedded == null ? properties.url()
                : "ldap://127.0.0.1:" + embedded.port() + "/" + properties.embeddedBaseDn();
        DefaultSpringSecurityContextSource context = new DefaultSpringSecurityContextSource(url);
        if (properties.managerDn() != null && !properties.managerDn().isBlank()) {
            context.setUserDn(properties.managerDn());
            context.setPassword(properties.managerPassword() == null ? "" : properties.managerPassword());
        }
        String millis = Long.toString(properties.timeout().toMillis());
        // a directory that does not answer must not hold sign-in threads forever
        context.setBaseEnvironmentProperties(Map.of("com.sun.jndi.ldap.connect.timeout", millis,
                "com.sun.jndi.ldap.read.timeout", millis));
        context.afterPropertiesSet();
        BindAuthenticator authenticator = new BindAuthenticator(context);
        authenticator.setUserSearch(new FilterBasedLdapUserSearch(properties.userSearchBase(),
                properties.userSearchFilter(), context));
        DefaultLdapAuthoritiesPopulator groups = new DefaultLdapAuthoritiesPopulator(context,
                properties.groupSearchBase());
        groups.setGroupSearchFilter(properties.groupSearchFilter());
        groups.setGroupRoleAttribute("cn");
        groups.setRolePrefix("");
        groups.setConvertToUpperCase(false);
        groups.setSearchSubtree(true);
        groups.setIgnorePartialResultException(true); // Active Directory refers to other domains
        this.ldap = new LdapAuthenticationProvider(authenticator, groups);
        this.ldap.setAuthoritiesMapper(this::grantsOf);
        this.ldap.setUserDetailsContextMapper(new CanonicalName(properties.usernameAttribute()));
        log.info("Directory sign-in on {} with {} group mapping(s)", embedded == null ? properties.url()
                : "the in-process demo directory " + url, properties.groups().size());
    }

    private static DemoDirectory startEmbedded(DirectoryProperties properties) {
        return startEmbedded(properties, DemoDirectory.available());
    }

    static DemoDirectory startEmbedded(DirectoryProperties properties, boolean serverShipped) {
        if (!serverShipped) {
            throw new IllegalStateException("vfzone.security.directory.embedded-ldif asks for the demo's in-process "
                    + "directory, which ships in vfzone-demo.jar, not in vfzone.jar: run the demo from vfzone-demo.jar, "
                    + "or sign in against a directory with vfzone.security.directory.url");
        }
        return DemoDirectory.start(properties.embeddedLdif(), properties.embeddedBaseDn());
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String typed = authentication.getName();
        // the directory ignores case and surrounding spaces when it searches; vfzone names the person by their entry
        String name = typed == null ? "" : typed.strip();
        if (name.isEmpty() || name.chars().anyMatch(Character::isISOControl) || users.isLocal(name)) {
            return null;
        }
        Authentication result = ldap.authenticate(UsernamePasswordAuthenticationToken.unauthenticated(name,
                authentication.getCredentials()));
        Optional<Role> highest = result.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .filter(a -> a.startsWith("ROLE_")).map(a -> Role.valueOf(a.substring(5))).findFirst();
        if (highest.isEmpty()) {
            throw new DisabledException("Directory account " + name + " is in no group mapped to a vfzone role");
        }
        LdapUserDetails person = (LdapUserDetails) result.getPrincipal();
        FabricScope scope = GroupGrants.scopeOf(highest.get(), result.getAuthorities());
        try {
            users.directorySignIn(person.getDn(), person.getUsername(), highest.get(), scope);
        } catch (DataIntegrityViolationException firstSignInRace) {
            // the same person's first sign-in on two requests at once: the other made the row
            users.directorySignIn(person.getDn(), person.getUsername(), highest.get(), scope);
        }
        return result;
    }

    /**
     * Names the person by their entry's own attribute (uid; AD: sAMAccountName), not by what they typed: {@code bob},
     * {@code 'bob '} and {@code BOB} are one person with one name.
     */
    private static final class CanonicalName extends LdapUserDetailsMapper {
        private final String attribute;

        CanonicalName(String attribute) {
            this.attribute = attribute;
        }

        @Override
        public UserDetails mapUserFromContext(
                DirContextOperations entry, String typed,
                Collection<? extends GrantedAuthority> authorities) {
            String canonical = entry.getStringAttribute(attribute);
            if (canonical == null || canonical.isBlank() || canonical.length() > 64
                    || canonical.chars().anyMatch(Character::isISOControl)) {
                throw new BadCredentialsException("Directory entry "
                        + entry.getNameInNamespace() + " has no usable " + attribute);
            }
            return super.mapUserFromContext(entry, canonical.strip(), authorities);
        }
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

    /** Directory groups → {@code ROLE_<highest role>} and one fabric grant per mapped group and fabric. */
    Collection<? extends GrantedAuthority> grantsOf(Collection<? extends GrantedAuthority> directoryGroups) {
        return GroupGrants.authorities(properties.groups(), directoryGroups.stream().map(GrantedAuthority::getAuthority)
                .toList(), fabrics);
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
