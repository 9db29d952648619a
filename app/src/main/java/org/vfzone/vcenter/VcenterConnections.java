package org.vfzone.vcenter;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.vfzone.audit.AuditLog;
import org.vfzone.fabric.PinnedCertificate;
import org.vfzone.security.CredentialCipher;
import org.vfzone.system.NotFoundException;
import org.vfzone.system.RuleViolation;
import org.vfzone.system.Texts;

/**
 * The vCenters vfzone reads: SDK URL, read-only user, AES-GCM encrypted password (write-only: decrypted only to sign
 * in, never shown), pinned certificate. A stored password only ever goes to the URL, user and certificate it was
 * given for: changing one of them without a new password leaves the connection without one.
 */
@Component
@Transactional
public class VcenterConnections {

    /** A connection as shown: never the password, only whether one is stored. */
    public record View(long id, String name, String sdkUrl, String username, boolean passwordStored,
                       String tlsCertificateSha256) {
    }

    /** Where to sign in, with the password decrypted, for the client only. */
    record Endpoint(long id, String name, URI sdkUrl, String username, String password, String pin) {
        @Override
        public String toString() {
            return "Endpoint[" + name + ", " + sdkUrl + ", " + username + ", password hidden]";
        }
    }

    private final JdbcTemplate jdbc;
    private final CredentialCipher cipher;
    private final AuditLog audit;

    VcenterConnections(JdbcTemplate jdbc, CredentialCipher cipher, AuditLog audit) {
        this.jdbc = jdbc;
        this.cipher = cipher;
        this.audit = audit;
    }

    private static final String VIEW = "select id, name, sdk_url, username, password_enc is not null, "
            + "tls_certificate_sha256 from vcenter_connection";
    private static final RowMapper<View> VIEW_ROW = (rs, n) -> new View(rs.getLong(1), rs.getString(2),
            rs.getString(3), rs.getString(4), rs.getBoolean(5), rs.getString(6));

    @Transactional(readOnly = true)
    public List<View> list() {
        return jdbc.query(VIEW + " order by lower(name)", VIEW_ROW);
    }

    @Transactional(readOnly = true)
    public View get(long id) {
        return jdbc.query(VIEW + " where id = ?", VIEW_ROW, id).stream().findFirst()
                .orElseThrow(() -> new NotFoundException("vCenter", id));
    }

    public View create(VcenterForm form) {
        Settings settings = settings(form);
        if (settings.password() == null) {
            throw RuleViolation.invalid("password", "is required for a new vCenter");
        }
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        try {
            jdbc.update(connection -> {
                var statement = connection.prepareStatement("insert into vcenter_connection (name, sdk_url, "
                        + "username, password_enc, tls_certificate_sha256) values (?, ?, ?, ?, ?)", new String[] {"id"});
                statement.setString(1, settings.name());
                statement.setString(2, settings.url());
                statement.setString(3, settings.username());
                statement.setString(4, cipher.encrypt(settings.password()));
                statement.setString(5, settings.pin());
                return statement;
            }, key);
        } catch (DuplicateKeyException e) {
            throw RuleViolation.conflict("name", "another vCenter is already called " + settings.name());
        }
        long id = Objects.requireNonNull(key.getKey()).longValue();
        audit.change("CREATE", "vcenter", id, "Added vCenter " + settings.name(), null, settings.shown());
        return get(id);
    }

    public View update(long id, VcenterForm form) {
        View before = get(id);
        Settings settings = settings(form);
        boolean sameTarget = before.sdkUrl().equals(settings.url()) && before.username().equals(settings.username())
                && Objects.equals(before.tlsCertificateSha256(), settings.pin());
        String passwordEnc = settings.password() != null ? cipher.encrypt(settings.password())
                : sameTarget ? jdbc.queryForObject("select password_enc from vcenter_connection where id = ?",
                String.class, id) : null;
        try {
            jdbc.update("update vcenter_connection set name = ?, sdk_url = ?, username = ?, password_enc = ?, "
                    + "tls_certificate_sha256 = ? where id = ?", settings.name(), settings.url(), settings.username(),
                    passwordEnc, settings.pin(), id);
        } catch (DuplicateKeyException e) {
            throw RuleViolation.conflict("name", "another vCenter is already called " + settings.name());
        }
        audit.change("UPDATE", "vcenter", id, "Changed vCenter " + settings.name()
                + (passwordEnc == null && before.passwordStored() ? " (its password cleared: it went elsewhere)" : ""),
                Map.of("name", before.name(), "sdkUrl", before.sdkUrl(), "username", before.username()),
                settings.shown());
        return get(id);
    }

    public void delete(long id) {
        View before = get(id);
        jdbc.update("delete from vcenter_connection where id = ?", id);
        audit.change("DELETE", "vcenter", id, "Removed vCenter " + before.name(), Map.of("name", before.name(),
                "sdkUrl", before.sdkUrl()), null);
    }

    @Transactional(readOnly = true)
    Optional<Endpoint> endpoint(long id) {
        return jdbc.query("select id, name, sdk_url, username, password_enc, tls_certificate_sha256 "
                + "from vcenter_connection where id = ?", (rs, n) -> rs.getString(5) == null ? null
                : new Endpoint(rs.getLong(1), rs.getString(2), URI.create(rs.getString(3)), rs.getString(4),
                cipher.decrypt(rs.getString(5)), rs.getString(6)), id).stream().filter(Objects::nonNull).findFirst();
    }

    private record Settings(String name, String url, String username, String password, String pin) {
        Map<String, Object> shown() {
            return Map.of("name", name, "sdkUrl", url, "username", username, "pinned", pin == null ? "" : pin);
        }
    }

    /** The form checked and normalized: an https or http URL to the SDK endpoint (…/sdk added when no path). */
    private static Settings settings(VcenterForm form) {
        String name = Texts.blankToNull(form.name());
        if (name == null) {
            throw RuleViolation.invalid("name", "is required");
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            throw RuleViolation.invalid("name", "may not contain control characters");
        }
        String typed = Texts.blankToNull(form.sdkUrl());
        URI url;
        try {
            url = typed == null ? null : new URI(typed.strip());
        } catch (URISyntaxException e) {
            throw RuleViolation.invalid("sdkUrl", "is not a URL: " + e.getReason());
        }
        if (url == null || url.getHost() == null || url.getScheme() == null
                || !List.of("https", "http").contains(url.getScheme().toLowerCase(Locale.ROOT))) {
            throw RuleViolation.invalid("sdkUrl", "must be an https URL of the vCenter, e.g. https://vc01.example.net/sdk");
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null || url.getRawUserInfo() != null) {
            throw RuleViolation.invalid("sdkUrl", "may not carry a query, a fragment or credentials");
        }
        String path = url.getPath() == null || url.getPath().isEmpty() || url.getPath().equals("/") ? "/sdk"
                : url.getPath();
        String normalized = url.getScheme().toLowerCase(Locale.ROOT) + "://" + url.getRawAuthority() + path;
        String username = Texts.blankToNull(form.username());
        if (username == null) {
            throw RuleViolation.invalid("username", "is required");
        }
        if (username.chars().anyMatch(Character::isISOControl)) {
            throw RuleViolation.invalid("username", "may not contain control characters");
        }
        String pin = PinnedCertificate.normalize(form.tlsCertificateSha256());
        if (pin == null && Texts.blankToNull(form.tlsCertificateSha256()) != null) {
            throw RuleViolation.invalid("tlsCertificateSha256", "must be the certificate's SHA-256 fingerprint: 64 "
                    + "hexadecimal digits, colons allowed");
        }
        String password = form.password() == null || form.password().isEmpty() ? null : form.password();
        return new Settings(name.strip(), normalized, username.strip(), password, pin);
    }
}
