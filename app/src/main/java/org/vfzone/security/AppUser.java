package org.vfzone.security;

import java.util.HashSet;
import java.util.Set;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import org.vfzone.system.BaseEntity;

@Entity
@Table(name = "app_user")
public class AppUser extends BaseEntity {

    private String username;
    private String passwordHash;
    @Enumerated(EnumType.STRING)
    private Role role;
    private boolean enabled = true;
    /** LOCAL (password kept here), DIRECTORY or OIDC (signs in elsewhere, identified by {@link #externalId}). */
    @Enumerated(EnumType.STRING)
    private Source source = Source.LOCAL;
    /** The directory entry's DN (lower case), or the OpenID Connect issuer and subject ({@code issuer#subject}). */
    private String externalId;
    private boolean allFabrics = true;
    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "app_user_fabric",
            joinColumns = @JoinColumn(name = "user_id"))
    @Column(name = "fabric_id")
    private Set<Long> fabricIds = new HashSet<>();

    protected AppUser() {
    }

    public AppUser(String username, String passwordHash, Role role) {
        this.username = username;
        this.passwordHash = passwordHash;
        this.role = role;
    }

    /** Where a user signs in: with a password kept here, the directory, or an OpenID Connect provider. */
    public enum Source { LOCAL, DIRECTORY, OIDC }

    /** A user of the directory or a provider, first seen at their sign-in: no password here, rights from groups. */
    static AppUser external(Source source, String externalId, String username, Role role, FabricScope scope) {
        AppUser user = new AppUser(username, null, role);
        user.source = source;
        user.externalId = externalId;
        user.setScope(scope);
        return user;
    }

    public Source getSource() { return source; }
    public boolean isLocal() { return source == Source.LOCAL; }
    String getExternalId() { return externalId; }
    void setUsername(String username) { this.username = username; }
    public String getUsername() { return username; }
    String getPasswordHash() { return passwordHash; }
    void setPasswordHash(String passwordHash) { this.passwordHash = passwordHash; }
    public Role getRole() { return role; }
    void setRole(Role role) { this.role = role; }
    public boolean isEnabled() { return enabled; }
    void setEnabled(boolean enabled) { this.enabled = enabled; }

    /** Where the user's role applies. */
    public FabricScope getScope() {
        return new FabricScope(allFabrics, fabricIds);
    }

    void setScope(FabricScope scope) {
        this.allFabrics = scope.allFabrics();
        this.fabricIds.clear();
        this.fabricIds.addAll(scope.fabricIds());
    }
}
