package org.vfzone;

import java.util.List;
import java.util.function.Supplier;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.core.context.SecurityContextImpl;

/**
 * The tests' security context holder (installed for the whole test JVM through the {@code spring.security.strategy}
 * system property): as Spring Security's thread-local holder, except that a test's own threads — the JUnit thread and
 * the pools a test starts — act as a signed-in ADMIN named {@code tester} whenever nothing else is signed in on them.
 * Set a context (not just an authentication on the default one) to act as someone else. Tests call services
 * directly, as a person in the UI would; the application itself checks fabric rights and refuses
 * work with nobody signed in. Requests through MockMvc or HTTP sign in (or stay anonymous) as they say, and the
 * application's own threads never get this default.
 */
public class TestSignedInStrategy implements SecurityContextHolderStrategy {

    public static final String TESTER = "tester";

    private static final ThreadLocal<Supplier<SecurityContext>> CONTEXT = new ThreadLocal<>();

    static boolean isTestThread() {
        String name = Thread.currentThread().getName();
        return name.equals("main") || name.startsWith("pool-") || name.startsWith("Test worker")
                // JUnit's own threads, which run the test classes when some of them run side by side
                || Thread.currentThread().getClass().getName().startsWith(
                "org.junit.platform.engine.support.hierarchical.");
    }

    private static SecurityContext initial() {
        if (!isTestThread()) {
            return new SecurityContextImpl();
        }
        return new Ambient();
    }

    /** The default identity: never kept, even when code that saved "the context before" sets it back. */
    private static final class Ambient extends SecurityContextImpl {
        Ambient() {
            super(UsernamePasswordAuthenticationToken.authenticated(TESTER, null,
                    List.of(new SimpleGrantedAuthority("ROLE_ADMIN"))));
        }
    }

    @Override
    public void clearContext() {
        CONTEXT.remove();
    }

    @Override
    public SecurityContext getContext() {
        return getDeferredContext().get();
    }

    /** MockMvc takes its default request identity from here: an anonymous request must stay anonymous. */
    private static boolean askedForAMockRequest() {
        return StackWalker.getInstance().walk(frames -> frames.anyMatch(frame -> frame.getClassName()
                .startsWith("org.springframework.security.test.")));
    }

    /**
     * What was set on this thread; else the default, which is never kept: a context kept here would become the
     * identity of the next MockMvc request, which takes its default from this holder.
     */
    @Override
    public Supplier<SecurityContext> getDeferredContext() {
        Supplier<SecurityContext> result = CONTEXT.get();
        if (result != null) {
            return result;
        }
        if (askedForAMockRequest()) {
            return SecurityContextImpl::new;
        }
        SecurityContext context = initial();
        return () -> context;
    }

    @Override
    public void setContext(SecurityContext context) {
        if (context instanceof Ambient) {
            CONTEXT.remove();
        } else {
            CONTEXT.set(() -> context);
        }
    }

    @Override
    public void setDeferredContext(Supplier<SecurityContext> deferredContext) {
        Supplier<SecurityContext> notNull = () -> {
            SecurityContext result = deferredContext.get();
            return result != null ? result : new SecurityContextImpl();
        };
        CONTEXT.set(notNull);
    }

    @Override
    public SecurityContext createEmptyContext() {
        return new SecurityContextImpl();
    }
}
