package org.vfzone.connection;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.vfzone.fabric.PinnedCertificate;
import org.vfzone.inventory.FabricConnectionStore;
import org.vfzone.security.CredentialCipher;
import org.vfzone.system.Texts;

/**
 * The switch connection of each fabric (management URL, user, AES-GCM encrypted password, pinned certificate), in
 * zoning's own table. The password is write-only: it is decrypted only to build a driver, never shown again, and
 * only ever goes to the endpoint it was given for.
 */
@Component
@Transactional
public class FabricConnections implements FabricConnectionStore {

    /** A fabric's endpoint with the password decrypted, for the driver only. */
    record Endpoint(String managementUrl, String managementUsername, String password, String tlsCertificateSha256) {
        @Override
        public String toString() {
            return "Endpoint[" + managementUrl + ", " + managementUsername + ", password hidden]";
        }
    }

    private record Row(String url, String username, String passwordEnc, String pin) {
        Stored stored() {
            return new Stored(url, username, passwordEnc != null, pin);
        }
    }

    private final JdbcTemplate jdbc;
    private final CredentialCipher cipher;

    FabricConnections(JdbcTemplate jdbc, CredentialCipher cipher) {
        this.jdbc = jdbc;
        this.cipher = cipher;
    }

    @Override
    public String save(long fabricId, Settings settings, boolean switchIdentityChanged) {
        Row before = row(fabricId).orElse(null);
        String url = Texts.blankToNull(settings.managementUrl());
        String username = Texts.blankToNull(settings.managementUsername());
        String pin = PinnedCertificate.normalize(settings.tlsCertificateSha256());
        boolean newPassword = settings.managementPassword() != null && !settings.managementPassword().isEmpty();
        String passwordEnc = newPassword ? cipher.encrypt(settings.managementPassword())
                : before == null ? null : before.passwordEnc();
        // a changed URL, vendor, vf-id/VSAN, user or pinned certificate without a new password leaves the fabric
        // without one: the stored password only ever goes to the endpoint it was given for
        boolean cleared = !newPassword && passwordEnc != null && (switchIdentityChanged
                || !Objects.equals(url, before.url()) || !Objects.equals(username, before.username())
                || !Objects.equals(pin, before.pin()));
        if (cleared) {
            passwordEnc = null;
        }
        jdbc.update("""
                insert into fabric_connection (fabric_id, management_url, management_username,
                                               management_password_enc, tls_certificate_sha256)
                values (?, ?, ?, ?, ?)
                on conflict (fabric_id) do update set management_url = excluded.management_url,
                    management_username = excluded.management_username,
                    management_password_enc = excluded.management_password_enc,
                    tls_certificate_sha256 = excluded.tls_certificate_sha256,
                    version = fabric_connection.version + 1
                """, fabricId, url, username, passwordEnc, pin);
        return newPassword ? " (new switch password stored)"
                : cleared ? " (stored switch password removed: the switch endpoint changed; enter it again)" : "";
    }

    @Override
    @Transactional(readOnly = true)
    public Stored of(long fabricId) {
        return row(fabricId).map(Row::stored).orElse(Stored.NONE);
    }

    @Override
    @Transactional(readOnly = true)
    public Map<Long, Stored> all() {
        Map<Long, Stored> all = new HashMap<>();
        jdbc.query("select fabric_id, management_url, management_username, management_password_enc, "
                + "tls_certificate_sha256 from fabric_connection", rs -> {
                    all.put(rs.getLong(1), new Row(rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5)).stored());
                });
        return all;
    }

    /** The endpoint with its password, when URL, user and password are all stored. */
    @Transactional(readOnly = true)
    Optional<Endpoint> endpoint(long fabricId) {
        return row(fabricId).filter(r -> r.url() != null && r.username() != null && r.passwordEnc() != null)
                .map(r -> new Endpoint(r.url(), r.username(), cipher.decrypt(r.passwordEnc()), r.pin()));
    }

    private Optional<Row> row(long fabricId) {
        return jdbc.query("select management_url, management_username, management_password_enc, "
                        + "tls_certificate_sha256 from fabric_connection where fabric_id = ?",
                (rs, n) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)), fabricId)
                .stream().findFirst();
    }

}
