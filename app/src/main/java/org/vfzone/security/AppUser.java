package org.vfzone.security;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
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

    protected AppUser() {
    }

    public AppUser(String username, String passwordHash, Role role) {
        this.username = username;
        this.passwordHash = passwordHash;
        this.role = role;
    }

    public String getUsername() { return username; }
    String getPasswordHash() { return passwordHash; }
    void setPasswordHash(String passwordHash) { this.passwordHash = passwordHash; }
    public Role getRole() { return role; }
    void setRole(Role role) { this.role = role; }
    public boolean isEnabled() { return enabled; }
    void setEnabled(boolean enabled) { this.enabled = enabled; }
}
