package org.vfzone.security;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.vfzone.audit.AuditLog;
import org.vfzone.inventory.FabricService;
import org.vfzone.security.internal.AppUserRepository;
import org.vfzone.system.NotFoundException;
import org.vfzone.system.RuleViolation;

@Service
@Transactional
public class UserService {

    static final int MIN_PASSWORD_LENGTH = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AppUserRepository users;
    private final PasswordEncoder passwordEncoder;
    private final SessionRegistry sessions;
    private final JdbcTemplate jdbc;
    private final AuditLog audit;
    private final FabricService fabrics;
    private final TokenRevocations revocations;

    UserService(TokenRevocations revocations, AppUserRepository users, PasswordEncoder passwordEncoder,
                SessionRegistry sessions,
                JdbcTemplate jdbc, AuditLog audit,
                FabricService fabrics) {
        this.fabrics = fabrics;
        this.revocations = revocations;
        this.users = users;
        this.passwordEncoder = passwordEncoder;
        this.sessions = sessions;
        this.jdbc = jdbc;
        this.audit = audit;
    }

    /** Ends every signed-in session of the user at once: their next request has to sign in again. */
    private void endSessions(String username) {
        for (Object principal : sessions.getAllPrincipals()) {
            String name = principal instanceof UserDetails details
                    ? details.getUsername() : String.valueOf(principal);
            if (name.equalsIgnoreCase(username)) {
                sessions.getAllSessions(principal, false)
                        .forEach(SessionInformation::expireNow);
            }
        }
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

    /** Whether {@code username} is a local user, with a password kept by vfzone. */
    @Transactional(readOnly = true)
    public boolean isLocal(String username) {
        return users.findByUsernameIgnoreCase(username).filter(AppUser::isLocal).isPresent();
    }

    /**
     * Records a sign-in of a directory or single sign-on user: the row of their entry or subject (made at their first
     * sign-in) takes the name they have there and the role and scope their groups give now. A user an ADMIN disabled
     * in vfzone cannot sign in; a name already held by another user (local, or another entry) is refused rather than
     * shared.
     */
    AppUser externalSignIn(AppUser.Source source, String externalId, String username, Role role, FabricScope scope) {
        if (People.SYSTEM.equalsIgnoreCase(username)) {
            throw new BadCredentialsException("Account " + username
                    + " has the name of vfzone's own background work");
        }
        Optional<AppUser> known = users.findBySourceAndExternalId(source, externalId);
        Optional<AppUser> sameName = users.findByUsernameIgnoreCase(username);
        if (sameName.isPresent() && (known.isEmpty() || !sameName.get().getId().equals(known.get().getId()))) {
            throw new BadCredentialsException("Account " + username
                    + " has the name of another vfzone user; rename one of them");
        }
        if (known.isEmpty()) {
            AppUser created = users.saveAndFlush(AppUser.external(source, externalId, username, role, scope));
            audit.record(username, "EXTERNAL_USER_SEEN", "user", created.getId(), (source == AppUser.Source.OIDC
                    ? "Single sign-on" : "Directory") + " user " + username + " signed in for the first time as "
                    + role + " on " + describe(scope), null);
            return created;
        }
        AppUser user = known.get();
        if (!user.isEnabled()) {
            throw new DisabledException("Account " + username
                    + " is disabled in vfzone");
        }
        if (!user.getUsername().equals(username) || user.getRole() != role || !user.getScope().equals(scope)) {
            user.setUsername(username);
            user.setRole(role);
            user.setScope(scope);
            announceRightsChanged();
        }
        return user;
    }

    AppUser directorySignIn(String dn, String username, Role role, FabricScope scope) {
        return externalSignIn(AppUser.Source.DIRECTORY, dn.toLowerCase(Locale.ROOT), username, role, scope);
    }

    /** Tokens act with their maker's rights: every node re-checks the tokens it holds when those rights change. */
    private void announceRightsChanged() {
        jdbc.queryForList("select pg_notify(?, ?)", String.class, TokenRevocations.CHANNEL, "rights");
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(
                    new TransactionSynchronization() {
                        @Override
                        public void afterCommit() {
                            revocations.revoked(); // this node at once, before its listener hears it
                        }
                    });
        }
    }

    public AppUser create(String username, String password, Role role) {
        return create(username, password, role, FabricScope.ALL);
    }

    @Transactional(readOnly = true)
    public AppUser get(long id) {
        return users.findById(id).orElseThrow(() -> new NotFoundException("User", id));
    }

    /** "all fabrics" or "FAB-A, FAB-B": where a user's role applies, for people. */
    @Transactional(readOnly = true)
    public String describe(FabricScope scope) {
        return describer().apply(scope);
    }

    /** Describes many scopes with one read of the fabric names: for lists of users and tokens. */
    @Transactional(readOnly = true)
    public Function<FabricScope, String> describer() {
        Map<Long, String> names = new HashMap<>();
        fabrics.list().forEach(fabric -> names.put(fabric.getId(), fabric.getName()));
        return scope -> scope.allFabrics() ? "all fabrics" : scope.fabricIds().stream()
                .map(id -> names.getOrDefault(id, "fabric " + id)).sorted()
                .collect(Collectors.joining(", "));
    }

    private FabricScope checkScope(FabricScope scope) {
        if (scope == null) {
            return FabricScope.ALL;
        }
        if (!scope.allFabrics()) {
            if (scope.fabricIds().isEmpty()) {
                throw RuleViolation.invalid("fabricIds", "choose at least one fabric, or all fabrics");
            }
            Set<Long> known = new HashSet<>();
            fabrics.list().forEach(fabric -> known.add(fabric.getId()));
            for (Long id : scope.fabricIds()) {
                if (!known.contains(id)) {
                    throw RuleViolation.invalid("fabricIds", "there is no fabric with id " + id);
                }
            }
        }
        return scope;
    }

    public AppUser create(String username, String password, Role role, FabricScope scope) {
        if (username == null || !username.matches("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")) {
            throw RuleViolation.invalid("username", "must be 1-64 letters, digits, '.', '_' or '-'");
        }
        if (People.SYSTEM.equalsIgnoreCase(username)) {
            throw RuleViolation.invalid("username", "'" + People.SYSTEM + "' names vfzone's own background work");
        }
        if (exists(username)) {
            throw RuleViolation.conflict("username", "user " + username + " already exists");
        }
        checkStrength(password);
        if (role == null) {
            throw RuleViolation.invalid("role", "must be VIEWER, OPERATOR, APPROVER or ADMIN");
        }
        AppUser user = new AppUser(username, passwordEncoder.encode(password), role);
        user.setScope(checkScope(scope));
        AppUser saved = users.save(user);
        audit.record(AuditLog.currentActor(), "CREATE_USER", "user", saved.getId(), "User "
                + username + " created as " + role + " on " + describe(saved.getScope()), null);
        return saved;
    }

    /** Creates a user without the strength rule: only for the documented demo accounts. */
    AppUser createDemoUser(String username, String password, Role role) {
        return users.save(new AppUser(username, passwordEncoder.encode(password), role));
    }

    /**
     * Changes a user's role or enabled flag; their open sessions end at once. The last enabled ADMIN cannot be
     * demoted or disabled (by anyone, themselves included): vfzone would have nobody left to manage it.
     */
    public void update(long id, Role role, boolean enabled) {
        update(id, role, enabled, null);
    }

    /** As {@link #update(long, Role, boolean)}, and sets where the role applies (null keeps it). */
    public void update(long id, Role role, boolean enabled, FabricScope scope) {
        AppUser user = users.findById(id).orElseThrow(() -> new NotFoundException("User", id));
        if (role == null) {
            throw RuleViolation.invalid("role", "must be VIEWER, OPERATOR, APPROVER or ADMIN");
        }
        FabricScope newScope = scope == null ? user.getScope() : checkScope(scope);
        if (!user.isLocal() && (role != user.getRole() || !newScope.equals(user.getScope()))) {
            throw RuleViolation.invalid("role", "user " + user.getUsername() + " signs in through the directory or "
                    + "single sign-on: their role and fabrics come from their directory groups; only enabling or "
                    + "disabling them is done here");
        }
        boolean losesAdmin = user.getRole() == Role.ADMIN && user.isEnabled() && (role != Role.ADMIN || !enabled);
        if (losesAdmin) {
            // locked, so two admins demoting each other at once cannot both succeed
            List<Long> admins = jdbc.queryForList("select id from app_user where role = 'ADMIN' and enabled "
                    + "order by id for update", Long.class);
            if (admins.stream().noneMatch(other -> other != id)) {
                throw RuleViolation.conflict("role", "user " + user.getUsername() + " is the last enabled "
                        + "ADMIN; make another user ADMIN first");
            }
        }
        boolean changed = user.getRole() != role || user.isEnabled() != enabled || !user.getScope().equals(newScope);
        user.setRole(role);
        user.setEnabled(enabled);
        user.setScope(newScope);
        if (changed) {
            endSessions(user.getUsername());
            announceRightsChanged(); // their API tokens stop or narrow at once, on every node
            audit.record(AuditLog.currentActor(), "UPDATE_USER", "user", id, "User "
                    + user.getUsername() + " is now " + role + " on " + describe(newScope) + (enabled ? "" : ", disabled")
                    + "; their sessions were ended", null);
        }
    }

    public void changePassword(String username, String currentPassword, String newPassword) {
        AppUser user = users.findByUsernameIgnoreCase(username).filter(AppUser::isLocal)
                .orElseThrow(() -> new NotFoundException("User", username));
        if (currentPassword == null
                || currentPassword.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES
                || !passwordEncoder.matches(currentPassword, user.getPasswordHash())) {
            throw RuleViolation.invalid("currentPassword", "is not your current password");
        }
        checkStrength(newPassword);
        user.setPasswordHash(passwordEncoder.encode(newPassword));
        endSessions(user.getUsername());
    }

    /** Sets a new password; the user's open sessions end at once. */
    public void resetPassword(long id, String newPassword) {
        AppUser user = users.findById(id).orElseThrow(() -> new NotFoundException("User", id));
        if (!user.isLocal()) {
            throw RuleViolation.invalid("password", "user " + user.getUsername() + " signs in with the directory "
                    + "or single sign-on, whose password vfzone does not keep");
        }
        checkStrength(newPassword);
        user.setPasswordHash(passwordEncoder.encode(newPassword));
        endSessions(user.getUsername());
        audit.record(AuditLog.currentActor(), "RESET_PASSWORD", "user", id, "Password of user "
                + user.getUsername() + " reset; their sessions were ended", null);
    }

    static String randomPassword() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** BCrypt reads at most 72 bytes: a longer password would be cut silently, so it is refused. */
    static final int MAX_PASSWORD_BYTES = 72;

    private static void checkStrength(String password) {
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            throw RuleViolation.invalid("password", "must be at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            throw RuleViolation.invalid("password", "must be at most " + MAX_PASSWORD_BYTES + " bytes");
        }
    }
}
