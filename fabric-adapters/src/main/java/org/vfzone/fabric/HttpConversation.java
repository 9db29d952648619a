package org.vfzone.fabric;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One conversation with a switch over HTTP: sends requests, keeps the log the audit trail needs (never the
 * credentials), retries 503 a bounded number of times, and maps transport failures to {@link FabricException}.
 */
public final class HttpConversation {

    public record Response(int status, String contentType, String body, HttpHeaders headers) {
        public boolean json() {
            return contentType != null && contentType.contains("json");
        }
    }

    private static final int MAX_BODY_IN_LOG = 2000;
    private static final Logger LOG = LoggerFactory.getLogger(HttpConversation.class);

    private final HttpClient client;
    private final URI baseUrl;
    private final Duration timeout;
    private final int maxRetries;
    private final Duration retryDelay;
    private final List<String> log = new ArrayList<>();
    private int requests;

    public HttpConversation(HttpClient client, URI baseUrl, Duration timeout, int maxRetries, Duration retryDelay) {
        this.client = client;
        this.baseUrl = baseUrl;
        this.timeout = timeout;
        this.maxRetries = maxRetries;
        this.retryDelay = retryDelay;
    }

    public static HttpClient newClient(Duration connectTimeout) {
        return newClient(connectTimeout, null);
    }

    /** A client that verifies https certificates (the JDK's trust store), or trusts only the pinned one. */
    public static HttpClient newClient(Duration connectTimeout, String pinnedCertificateSha256) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .version(HttpClient.Version.HTTP_1_1);
        if (pinnedCertificateSha256 != null) {
            builder.sslContext(PinnedCertificate.context(pinnedCertificateSha256));
        }
        return builder.build();
    }

    public Response send(String method, String pathAndQuery, String body, Map<String, String> headers) {
        for (int attempt = 0; ; attempt++) {
            Response response = sendOnce(method, pathAndQuery, body, headers);
            if (response.status() != 503 || attempt >= maxRetries
                    || response.body().contains("Chassis is not ready for management")) {
                return response;
            }
            try {
                Thread.sleep(retryDelay.toMillis() * (attempt + 1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return response;
            }
        }
    }

    private Response sendOnce(String method, String pathAndQuery, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(baseUrl.resolve(pathAndQuery)).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        requests++;
        String line = method + " " + pathAndQuery + (body == null ? "" : " " + abbreviate(body));
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String contentType = response.headers().firstValue("Content-Type").orElse("");
            log.add(line + " -> " + response.statusCode()
                    + (response.body().isEmpty() ? "" : " " + abbreviate(response.body())));
            return new Response(response.statusCode(), contentType, response.body(), response.headers());
        } catch (HttpTimeoutException e) {
            log.add(line + " -> no answer within " + timeout.toMillis() + " ms");
            throw new FabricException(FabricException.Kind.TIMEOUT, "The switch did not answer " + method + " "
                    + pathOnly(pathAndQuery) + " within " + timeout.toMillis() + " ms", false, log, e);
        } catch (IOException e) {
            // the class of failure only: raw socket messages would make vfzone a port scanner for its users
            boolean tls = isTls(e);
            String what = tls ? "TLS: the switch's certificate is not trusted (have it signed by a trusted "
                    + "authority, or pin its SHA-256 fingerprint on the fabric)"
                    : "unreachable: no connection to the switch, or it closed the connection";
            LOG.debug("{} {} failed", method, pathOnly(pathAndQuery), e);
            log.add(line + " -> " + (tls ? "TLS failure" : "connection failed"));
            throw new FabricException(tls ? FabricException.Kind.TLS : FabricException.Kind.UNREACHABLE,
                    "Switch " + what + " (during " + method + " " + pathOnly(pathAndQuery) + ")", false, log, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FabricException(FabricException.Kind.UNREACHABLE, "Interrupted", false, log, e);
        }
    }

    private static boolean isTls(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SSLException
                    || cause instanceof CertificateException) {
                return true;
            }
        }
        return false;
    }

    public List<String> log() {
        return List.copyOf(log);
    }

    public void note(String line) {
        log.add(line);
    }

    public int requests() {
        return requests;
    }

    private static String pathOnly(String pathAndQuery) {
        int query = pathAndQuery.indexOf('?');
        return query < 0 ? pathAndQuery : pathAndQuery.substring(0, query);
    }

    private static String abbreviate(String text) {
        return text.length() <= MAX_BODY_IN_LOG ? text : text.substring(0, MAX_BODY_IN_LOG) + "…";
    }
}
