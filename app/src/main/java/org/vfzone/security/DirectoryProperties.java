package org.vfzone.security;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Directory sign-in ({@code vfzone.directory.*}): LDAP or Active Directory bind, with each directory group mapped to
 * a vfzone role on all fabrics or on named ones. Off while neither {@code url} nor {@code embedded-ldif} is set.
 *
 * @param url               {@code ldap://host:389/dc=example,dc=net} or {@code ldaps://…}; the path is the base DN
 * @param managerDn         the account vfzone searches with (empty: anonymous search)
 * @param managerPassword   its password (never logged or shown)
 * @param userSearchBase    where people are, relative to the base DN
 * @param userSearchFilter  {@code (uid={0})}; Active Directory: {@code (sAMAccountName={0})}
 * @param groupSearchBase   where groups are, relative to the base DN
 * @param groupSearchFilter {@code (member={0})} with {0} the person's DN; AD nested groups:
 *                          {@code (member:1.2.840.113556.1.4.1941:={0})}
 * @param groups            directory group (its cn) → role and fabrics
 * @param timeout           connect and read timeout of each directory request
 * @param embeddedLdif      demo: an LDIF file served by an in-process directory, instead of {@code url}
 * @param embeddedBaseDn    demo: the base DN of that directory
 * @param usernameAttribute the entry's attribute holding the person's canonical name ({@code uid}; Active Directory:
 *                          {@code sAMAccountName}): vfzone names the person by it, whatever case or spaces they typed
 */
@ConfigurationProperties("vfzone.directory")
public record DirectoryProperties(
        String url,
        String managerDn,
        String managerPassword,
        @DefaultValue("") String userSearchBase,
        @DefaultValue("(uid={0})") String userSearchFilter,
        @DefaultValue("") String groupSearchBase,
        @DefaultValue("(member={0})") String groupSearchFilter,
        @DefaultValue List<GroupGrant> groups,
        @DefaultValue("5s") Duration timeout,
        String embeddedLdif,
        @DefaultValue("dc=vfzone,dc=demo") String embeddedBaseDn,
        @DefaultValue("uid") String usernameAttribute) {

    /**
     * Members of {@code group} hold {@code role} on the named fabrics, or on all fabrics when none are named.
     * A person in several groups holds each grant; on each fabric the highest role counts.
     */
    public record GroupGrant(String group, Role role, @DefaultValue List<String> fabrics) {
    }

    public boolean enabled() {
        return (url != null && !url.isBlank()) || (embeddedLdif != null && !embeddedLdif.isBlank());
    }

    @Override
    public String toString() {
        return "DirectoryProperties[url=" + url + ", managerDn=" + managerDn + ", managerPassword="
                + (managerPassword == null ? "not set" : "(set)") + ", groups=" + groups + "]";
    }
}
