package org.vfzone.security;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.vfzone.system.VfzoneProperties;

/**
 * Encrypts switch credentials at rest with AES-256-GCM (the JDK's implementation). The key comes from
 * {@code vfzone.secret-key} (base64, 32 bytes) or, when unset, from {@code secret.key} in the data directory, created
 * on first use readable by its owner only. Stored values are {@code v1:} + base64(IV ‖ ciphertext+tag).
 */
@Component
public class CredentialCipher {

    private static final Logger log = LoggerFactory.getLogger(CredentialCipher.class);
    private static final String PREFIX = "v1:";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    CredentialCipher(VfzoneProperties properties, SecurityProperties security) {
        String configuredKey = security.secretKey();
        this.key = configuredKey.isBlank() ? keyFile(properties.dataDir().resolve("secret.key")) : decode(configuredKey);
    }

    public String encrypt(String plaintext) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length)
                    .put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt a credential", e);
        }
    }

    public String decrypt(String stored) {
        if (stored == null || !stored.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not an encrypted credential");
        }
        try {
            byte[] data = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data, 0, IV_BYTES));
            return new String(cipher.doFinal(data, IV_BYTES, data.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a stored credential cannot be decrypted with this key; was the key "
                    + "file replaced? Enter the fabric's password again", e);
        }
    }

    private static SecretKey decode(String base64) {
        byte[] bytes = Base64.getDecoder().decode(base64.strip());
        if (bytes.length != 32) {
            throw new IllegalArgumentException("vfzone.secret-key must be 32 bytes, base64-encoded");
        }
        return new SecretKeySpec(bytes, "AES");
    }

    private static SecretKey keyFile(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                KeyGenerator generator = KeyGenerator.getInstance("AES");
                generator.init(256);
                byte[] key = generator.generateKey().getEncoded();
                // written whole beside it, then linked into place: a link never replaces a key another instance
                // made first, and nobody ever reads a half-written key
                Path written = Files.createTempFile(file.getParent(), "secret.key", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                try {
                    Files.writeString(written, Base64.getEncoder().encodeToString(key));
                    Files.createLink(file, written);
                    log.info("Generated the credential key {}", file);
                } catch (FileAlreadyExistsException raced) {
                    // another instance created it first; use theirs
                } finally {
                    Files.delete(written);
                }
            }
            return decode(Files.readString(file));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read or create the credential key " + file, e);
        }
    }
}
