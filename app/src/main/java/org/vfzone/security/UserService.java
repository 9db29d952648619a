package org.vfzone.security;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.vfzone.system.InventoryException;
import org.vfzone.system.NotFoundException;

@Service
@Transactional
public class UserService {

    static final int MIN_PASSWORD_LENGTH = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AppUserRepository users;
    private final PasswordEncoder passwordEncoder;

    UserService(AppUserRepository users, PasswordEncoder passwordEncoder) {
        this.users = users;
        this.passwordEncoder = passwordEncoder;
    }

    @Transactional(readOnly = true)
    public List<AppUser> list() {
        return users.findAllByOrderByUsernameAsc();
    }

    @Transactional(readOnly = true)
    public boolean noUsers() {
        return users.count() == 0;
    }

    @Transactional(readOnly = true)
    public boolean exists(String username) {
        return users.findByUsernameIgnoreCase(username).isPresent();
    }

    public AppUser create(String username, String password, Role role) {
        if (username == null || !username.matches("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")) {
            throw InventoryException.invalid("username", "must be 1-64 letters, digits, '.', '_' or '-'");
        }
        if (exists(username)) {
            throw InventoryException.conflict("username", "user " + username + " already exists");
        }
        checkStrength(password);
        return users.save(new AppUser(username, passwordEncoder.encode(password), role));
    }

    /** Creates a user without the strength rule: only for the documented demo accounts. */
    AppUser createDemoUser(String username, String password, Role role) {
        return users.save(new AppUser(username, passwordEncoder.encode(password), role));
    }

    public void update(long id, Role role, boolean enabled) {
        AppUser user = users.findById(id).orElseThrow(() -> new NotFoundException("User", id));
        user.setRole(role);
        user.setEnabled(enabled);
    }

    public void changePassword(String username, String currentPassword, String newPassword) {
        AppUser user = users.findByUsernameIgnoreCase(username).orElseThrow(() -> new NotFoundException("User", username));
        if (!passwordEncoder.matches(currentPassword, user.getPasswordHash())) {
            throw InventoryException.invalid("currentPassword", "is not your current password");
        }
        checkStrength(newPassword);
        user.setPasswordHash(passwordEncoder.encode(newPassword));
    }

    public void resetPassword(long id, String newPassword) {
        AppUser user = users.findById(id).orElseThrow(() -> new NotFoundException("User", id));
        checkStrength(newPassword);
        user.setPasswordHash(passwordEncoder.encode(newPassword));
    }

    static String randomPassword() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void checkStrength(String password) {
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            throw InventoryException.invalid("password", "must be at least " + MIN_PASSWORD_LENGTH + " characters");
        }
    }
}
