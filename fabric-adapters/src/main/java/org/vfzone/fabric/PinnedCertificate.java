package org.vfzone.fabric;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts exactly one server certificate, named by the SHA-256 fingerprint of its DER encoding: how an admin
 * trusts a switch's self-signed certificate without turning verification off. The pinned certificate stands in
 * for both the chain and the host name check (switches are often reached by an address their certificate does not
 * name); any other certificate is refused.
 */
public final class PinnedCertificate {

    private PinnedCertificate() {
    }

    /** {@code AA:BB:…} or plain hex, 64 digits; null when {@code text} is not a SHA-256 fingerprint. */
    public static String normalize(String text) {
        if (text == null) {
            return null;
        }
        String hex = text.replace(":", "").replace(" ", "").strip().toLowerCase(Locale.ROOT);
        return hex.matches("^[0-9a-f]{64}$") ? hex : null;
    }

    public static String fingerprint(X509Certificate certificate) throws CertificateException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An SSL context that accepts only the certificate with {@code sha256} (hex, as {@link #normalize} gives). */
    public static SSLContext context(String sha256) {
        String pin = normalize(sha256);
        if (pin == null) {
            throw new IllegalArgumentException("not a SHA-256 fingerprint");
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new PinningTrustManager(pin)}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class PinningTrustManager extends X509ExtendedTrustManager {
        private final String pin;

        PinningTrustManager(String pin) {
            this.pin = pin;
        }

        private void check(X509Certificate[] chain) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("the switch sent no certificate");
            }
            String presented = fingerprint(chain[0]);
            if (!presented.equals(pin)) {
                throw new CertificateException("the switch's certificate (SHA-256 " + presented
                        + ") is not the pinned one");
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            check(chain);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            check(chain);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("not a server");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("not a server");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("not a server");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
