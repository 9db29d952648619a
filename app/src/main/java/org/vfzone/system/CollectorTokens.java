package org.vfzone.system;

import java.util.Optional;

/**
 * Whether an API token may post collector readings, as the API's security rules would decide for
 * {@code POST /api/traffic/samples}; answered by the security module, asked by the ingest's own entry so that the
 * most frequent request skips the layers it does not need.
 */
public interface CollectorTokens {

    /**
     * The principal name the API would give the token ({@code token:<name>}) when it is valid, unrevoked and of a
     * role that may post readings; empty for anything else.
     */
    Optional<String> readingsPoster(String bearerToken);
}
