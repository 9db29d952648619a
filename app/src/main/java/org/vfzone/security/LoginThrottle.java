package org.vfzone.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Slows, then locks, repeated failed sign-ins: per user name from one address, and per address. After
 * {@link #FREE_FAILURES} failures each further attempt waits twice as long as the one before (1 s, 2 s, 4 s …),
 * up to {@link #MAX_LOCK}; attempts inside the wait are refused without checking the password. A success clears
 * the user's counter for that address. Nothing locks a user name from every address, so an attacker elsewhere
 * cannot lock the admin out; failures are forgotten after {@link #MAX_LOCK} without one.
 */
public final class LoginThrottle {

    static final int FREE_FAILURES = 3;
    static final Duration MAX_LOCK = Duration.ofMinutes(15);
    /**
     * An address may fail this many times more than one user before it is slowed as a whole (password spraying
     * over many user names). Generous, because many users may share an address behind a NAT or a proxy.
     */
    static final int ADDRESS_ALLOWANCE = 47;

    private record Failures(int count, Instant last) {
    }

    private final Clock clock;
    private final Cache<String, Failures> failures;

    public LoginThrottle(Clock clock) {
        this.clock = clock;
        this.failures = Caffeine.newBuilder().maximumSize(100_000)
                .expireAfterWrite(MAX_LOCK.plusMinutes(1)).build();
    }

    /** How long {@code username} from {@code address} must still wait before trying again; empty when it may try. */
    public Optional<Duration> wait(String username, String address) {
        Instant now = clock.instant();
        Duration byUser = remaining(failures.getIfPresent(userKey(username, address)), 0, now);
        Duration byAddress = remaining(failures.getIfPresent(addressKey(address)), ADDRESS_ALLOWANCE, now);
        Duration longest = byUser.compareTo(byAddress) >= 0 ? byUser : byAddress;
        return longest.isZero() || longest.isNegative() ? Optional.empty() : Optional.of(longest);
    }

    public void failed(String username, String address) {
        Instant now = clock.instant();
        for (String key : new String[] {userKey(username, address), addressKey(address)}) {
            failures.asMap().merge(key, new Failures(1, now), (old, one) ->
                    !old.last().plus(MAX_LOCK).isAfter(now) ? one : new Failures(old.count() + 1, now));
        }
    }

    public void succeeded(String username, String address) {
        failures.invalidate(userKey(username, address));
    }

    private static Duration remaining(Failures f, int allowance, Instant now) {
        if (f == null || f.count() <= FREE_FAILURES + allowance) {
            return Duration.ZERO;
        }
        int doublings = Math.min(f.count() - FREE_FAILURES - allowance - 1, 20);
        Duration lock = Duration.ofSeconds(1L << doublings);
        if (lock.compareTo(MAX_LOCK) > 0) {
            lock = MAX_LOCK;
        }
        return Duration.between(now, f.last().plus(lock));
    }

    private static String userKey(String username, String address) {
        return "u:" + (username == null ? "" : username.toLowerCase(Locale.ROOT)) + "@" + address;
    }

    private static String addressKey(String address) {
        return "a:" + address;
    }
}
