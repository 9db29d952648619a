package org.vfzone.security;

import java.time.Duration;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.stereotype.Component;

/**
 * Verified API tokens by hash, for a minute at most: a collector posting every few seconds costs no token query.
 * Only valid tokens are kept (a flood of bad ones cannot fill it), at most 100,000 of them.
 */
@Component
class ApiTokenCache {

    /** A verified token: whom it speaks for; its "last used" is written when it is verified again. */
    record Entry(ApiTokenService.Holder holder) {
    }

    private final Cache<String, Entry> verified = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(Duration.ofMinutes(1)).build();

    Optional<Entry> get(String tokenHash) {
        return Optional.ofNullable(verified.getIfPresent(tokenHash));
    }

    void put(String tokenHash, Entry entry) {
        verified.put(tokenHash, entry);
    }

    void clear() {
        verified.invalidateAll();
    }
}
