package org.vfzone.security;

import static org.springframework.security.config.Customizer.withDefaults;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.DefaultAuthenticationEventPublisher;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.session.SessionRegistryImpl;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.header.writers.StaticHeadersWriter;
import org.springframework.security.web.session.HttpSessionEventPublisher;
import org.vfzone.audit.AuditLog;
import org.vfzone.inventory.FabricService;
import org.vfzone.security.internal.AppUserRepository;

/**
 * Form login for the web UI (with CSRF), HTTP Basic for {@code /api} (stateless, so no cookie a browser could
 * replay and no CSRF token needed). Reads need VIEWER; any change needs OPERATOR; users are managed by ADMIN.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    static RoleHierarchy roleHierarchy() {
        return RoleHierarchyImpl.withDefaultRolePrefix()
                .role(Role.ADMIN.name()).implies(Role.APPROVER.name())
                .role(Role.APPROVER.name()).implies(Role.OPERATOR.name())
                .role(Role.OPERATOR.name()).implies(Role.VIEWER.name())
                .build();
    }

    @Bean
    PasswordEncoder passwordEncoder(SecurityProperties properties) {
        // new hashes are BCrypt at the configured cost; any other stored format still matches as Spring Security reads it
        DelegatingPasswordEncoder encoder = new DelegatingPasswordEncoder("bcrypt",
                Map.of("bcrypt", new BCryptPasswordEncoder(properties.security().passwordCost())));
        encoder.setDefaultPasswordEncoderForMatches(PasswordEncoderFactories.createDelegatingPasswordEncoder());
        return encoder;
    }

    @Bean
    UserDetailsService userDetailsService(AppUserRepository users) {
        // only local users have a password here; a directory user's row is for identity and rights
        return username -> users.findByUsernameIgnoreCase(username).filter(AppUser::isLocal)
                .map(user -> User.withUsername(user.getUsername())
                        .password(user.getPasswordHash())
                        .authorities(grantedTo(user.getRole(), user.getScope()))
                        .disabled(!user.isEnabled())
                        .build())
                .orElseThrow(() -> new UsernameNotFoundException("no such user"));
    }

    /** Directory sign-in, when {@code vfzone.directory.url} (or the demo's in-process directory) is set. */
    @Bean(destroyMethod = "close")
    @ConditionalOnExpression(
            "'${vfzone.directory.url:}' != '' or '${vfzone.directory.embedded-ldif:}' != ''")
    DirectoryLogin directoryLogin(DirectoryProperties properties, UserService users,
                                  FabricService fabrics) {
        return new DirectoryLogin(properties, users, fabrics);
    }

    /** Single sign-on with an OpenID Connect provider, when {@code vfzone.oidc.issuer-uri} is set. */
    @Bean
    @ConditionalOnExpression("'${vfzone.oidc.issuer-uri:}' != ''")
    ClientRegistrationRepository oidcClients(
            OidcProperties oidc) {
        Set<String> scopes = new LinkedHashSet<>(List.of("openid"));
        scopes.addAll(oidc.scopes());
        return new InMemoryClientRegistrationRepository(
                ClientRegistrations
                        .fromOidcIssuerLocation(oidc.issuerUri())
                        .registrationId(OIDC_REGISTRATION)
                        .clientId(oidc.clientId())
                        .clientSecret(oidc.clientSecret())
                        .clientName(oidc.displayName())
                        .scope(scopes)
                        .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
                        .build());
    }

    static final String OIDC_REGISTRATION = "oidc";

    @Bean
    @ConditionalOnExpression("'${vfzone.oidc.issuer-uri:}' != ''")
    OidcSignIn oidcSignIn(OidcProperties oidc, UserService users, FabricService fabrics,
                          AuditLog audit) {
        return new OidcSignIn(oidc, users, fabrics, audit);
    }

    /**
     * Local users first (break-glass accounts keep working when the directory is down), then the directory. The same
     * manager serves the UI's form sign-in and the API's HTTP Basic.
     */
    @Bean
    AuthenticationManager authenticationManager(
            UserDetailsService localUsers, PasswordEncoder passwordEncoder,
            ObjectProvider<DirectoryLogin> directory,
            ObjectProvider<OidcSignIn> oidc,
            AuthenticationEventPublisher events) {
        DaoAuthenticationProvider local =
                new DaoAuthenticationProvider(localUsers);
        local.setPasswordEncoder(passwordEncoder);
        List<AuthenticationProvider> providers =
                new ArrayList<>();
        providers.add(local);
        directory.ifAvailable(providers::add);
        // single sign-on's code exchange and ID-token check, with vfzone's own mapping of the person
        oidc.ifAvailable(singleSignOn -> providers.add(new org.springframework.security.oauth2.client.oidc
                .authentication.OidcAuthorizationCodeAuthenticationProvider(new org.springframework.security.oauth2
                .client.endpoint.RestClientAuthorizationCodeTokenResponseClient(), singleSignOn)));
        ProviderManager manager =
                new ProviderManager(providers);
        manager.setAuthenticationEventPublisher(events);
        return manager;
    }

    /** {@code ROLE_<role>} for the URL rules, and where the role applies for the per-fabric checks. */
    static List<GrantedAuthority> grantedTo(Role role, FabricScope scope) {
        List<GrantedAuthority> granted = new ArrayList<>();
        granted.add(new SimpleGrantedAuthority("ROLE_" + role.name()));
        granted.addAll(FabricAccess.authorities(role, scope));
        return granted;
    }

    @Bean
    @Order(1)
    SecurityFilterChain apiSecurity(HttpSecurity http, ApiTokenService tokens, LoginThrottle throttle,
                                    AuthenticationManager manager)
            throws Exception {
        basicOrToken(http.securityMatcher("/api/**"), tokens, throttle, manager)
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(HttpMethod.POST, "/api/traffic/samples", "/api/hosts/discovery",
                                "/api/hosts/fpin")
                        .hasAnyRole("COLLECTOR", Role.OPERATOR.name())
                        .requestMatchers("/api/users/**", "/api/tokens/**", "/api/tokens").hasRole(Role.ADMIN.name())
                        .requestMatchers("/api/notification-channels/**").hasRole(Role.ADMIN.name())
                        .requestMatchers(HttpMethod.POST, "/api/changes/*/approve").hasRole(Role.APPROVER.name())
                        .requestMatchers(HttpMethod.POST, "/api/standard-changes/*/approve",
                                "/api/standard-changes/*/revoke").hasRole(Role.APPROVER.name())
                        .requestMatchers(HttpMethod.POST, "/api/changes/*/resolve").hasRole(Role.ADMIN.name())
                        // a fabric's connection settings decide where the switch password goes
                        .requestMatchers(HttpMethod.POST, "/api/fabrics").hasRole(Role.ADMIN.name())
                        .requestMatchers(HttpMethod.PUT, "/api/fabrics/*").hasRole(Role.ADMIN.name())
                        .requestMatchers(HttpMethod.DELETE, "/api/fabrics/*").hasRole(Role.ADMIN.name())
                        // so do a vCenter's
                        .requestMatchers(HttpMethod.POST, "/api/vcenters", "/api/vcenters/**").hasRole(Role.ADMIN.name())
                        .requestMatchers(HttpMethod.PUT, "/api/vcenters/**").hasRole(Role.ADMIN.name())
                        .requestMatchers(HttpMethod.PUT, "/api/congestion/settings").hasRole(Role.ADMIN.name())
                        .requestMatchers(HttpMethod.DELETE, "/api/vcenters/**").hasRole(Role.ADMIN.name())
                        .requestMatchers(HttpMethod.GET, "/api/**").hasRole(Role.VIEWER.name())
                        .anyRequest().hasRole(Role.OPERATOR.name()))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        return http.build();
    }

    /**
     * Sign-in as the API takes it: HTTP Basic (throttled like the form) or a bearer token, no CSRF (no cookie a
     * browser could replay is needed).
     */
    private static HttpSecurity basicOrToken(HttpSecurity http, ApiTokenService tokens, LoginThrottle throttle,
                                             AuthenticationManager manager)
            throws Exception {
        return http.authenticationManager(manager)
                .addFilterBefore(new LoginThrottleFilter(throttle),
                        BasicAuthenticationFilter.class)
                .addFilterBefore(new BearerTokenFilter(tokens),
                        BasicAuthenticationFilter.class)
                .httpBasic(withDefaults())
                .csrf(csrf -> csrf.disable());
    }

    /**
     * The OpenAPI document for API clients and code generators: HTTP Basic or a bearer token, as the API takes; a
     * browser's session (the API browser) works too. Unauthenticated callers get 401, not the login page.
     */
    @Bean
    @Order(2)
    SecurityFilterChain apiDocumentSecurity(HttpSecurity http, ApiTokenService tokens, LoginThrottle throttle,
                                            AuthenticationManager manager)
            throws Exception {
        basicOrToken(http.securityMatcher("/v3/api-docs", "/v3/api-docs/**"), tokens, throttle, manager)
                .authorizeHttpRequests(auth -> auth.anyRequest().hasRole(Role.VIEWER.name()));
        return http.build();
    }

    @Bean
    @Order(3)
    SecurityFilterChain actuatorSecurity(HttpSecurity http, LoginThrottle throttle,
                                         AuthenticationManager manager)
            throws Exception {
        http.securityMatcher("/actuator/**")
                .authenticationManager(manager)
                .addFilterBefore(new LoginThrottleFilter(throttle),
                        BasicAuthenticationFilter.class)
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/actuator/health/**", "/actuator/health", "/actuator/info").permitAll()
                        .anyRequest().hasRole(Role.VIEWER.name()))
                .httpBasic(withDefaults())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable());
        return http.build();
    }

    @Bean
    @Order(4)
    SecurityFilterChain uiSecurity(HttpSecurity http,
                                   SessionRegistry sessionRegistry,
                                   LoginThrottle throttle,
                                   AuthenticationManager manager,
                                   ObjectProvider<OidcSignIn> oidc,
                                   ObjectProvider<
                                           org.springframework.security.oauth2.client.registration
                                                   .ClientRegistrationRepository> oidcClients)
            throws Exception {
        OidcSignIn singleSignOn = oidc.getIfAvailable();
        if (singleSignOn != null) {
            SimpleUrlAuthenticationFailureHandler toLoginPage =
                    new SimpleUrlAuthenticationFailureHandler(
                            "/login?error=sso");
            http.oauth2Login(login -> login.loginPage("/login").failureHandler((request, response, failure) -> {
                        // the reason stays in the log for the admin; the page says only that it was refused
                        LoggerFactory.getLogger(OidcSignIn.class).warn("Single sign-on refused: {}",
                                AuditLog.visible(failure.getMessage()));
                        toLoginPage.onAuthenticationFailure(request, response, failure);
                    })
                    .clientRegistrationRepository(oidcClients.getObject())
                    .userInfoEndpoint(userInfo -> userInfo.oidcUserService(singleSignOn)));
        }
        http.authenticationManager(manager)
                .addFilterBefore(new LoginThrottleFilter(throttle),
                        UsernamePasswordAuthenticationFilter.class)
                .authorizeHttpRequests(auth -> auth
                        // the favicon also by the name carrying its content's hash, which the pages link
                        .requestMatchers("/login", "/webjars/**", "/css/**", "/js/**", "/favicon.ico", "/favicon*.svg",
                                "/error")
                        .permitAll()
                        .requestMatchers("/users/**").hasRole(Role.ADMIN.name())
                        .requestMatchers("/notifications/**", "/notifications").hasRole(Role.ADMIN.name())
                        .requestMatchers(HttpMethod.POST, "/changes/*/approve").hasRole(Role.APPROVER.name())
                        .requestMatchers(HttpMethod.POST, "/standard-changes/*/approve", "/standard-changes/*/revoke")
                        .hasRole(Role.APPROVER.name())
                        .requestMatchers(HttpMethod.POST, "/changes/*/resolve").hasRole(Role.ADMIN.name())
                        .requestMatchers("/fabrics/new", "/fabrics/*/edit").hasRole(Role.ADMIN.name())
                        .requestMatchers("/vcenters/new", "/vcenters/*/edit").hasRole(Role.ADMIN.name())
                        .requestMatchers(HttpMethod.POST, "/vcenters", "/vcenters/**").hasRole(Role.ADMIN.name())
                        .requestMatchers(HttpMethod.POST, "/congestion/settings").hasRole(Role.ADMIN.name())
                        .requestMatchers(HttpMethod.POST, "/fabrics", "/fabrics/*", "/fabrics/*/delete")
                        .hasRole(Role.ADMIN.name())
                        .requestMatchers(HttpMethod.GET, "/**").hasRole(Role.VIEWER.name())
                        .requestMatchers("/account/**").hasRole(Role.VIEWER.name())
                        .anyRequest().hasRole(Role.OPERATOR.name()))
                .formLogin(form -> form.loginPage("/login").defaultSuccessUrl("/", false).permitAll())
                .logout(logout -> logout.logoutSuccessUrl("/login?logout").permitAll())
                .headers(headers -> headers
                        .frameOptions(frame -> frame.deny())
                        // the API browser (Swagger UI) needs its own inline scripts; every vfzone page runs none
                        .addHeaderWriter(new org.springframework.security.web.header.writers
                                .DelegatingRequestMatcherHeaderWriter(request -> !isApiBrowser(request),
                                new StaticHeadersWriter(
                                        "Content-Security-Policy", CONTENT_SECURITY_POLICY))))
                // every session is registered, so a disabled user, a changed role or a reset password ends it
                .sessionManagement(session -> session.maximumSessions(-1).sessionRegistry(sessionRegistry)
                        .expiredUrl("/login?expired"));
        return http.build();
    }

    /** Scripts and everything else from vfzone itself only; styles may be inline (Bootstrap, htmx indicators). */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' "
            + "'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
            + "frame-ancestors 'none'";

    private static boolean isApiBrowser(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.startsWith("/api-docs") || path.startsWith("/swagger-ui") || path.startsWith("/v3/api-docs");
    }

    /** Publishes sign-in successes and failures (counted by {@link LoginAttempts}) for every filter chain. */
    @Bean
    AuthenticationEventPublisher authenticationEventPublisher(
            ApplicationEventPublisher publisher) {
        return new DefaultAuthenticationEventPublisher(publisher);
    }

    @Bean
    LoginThrottle loginThrottle(Clock clock) {
        return new LoginThrottle(clock);
    }

    @Bean
    SessionRegistry sessionRegistry() {
        return new SessionRegistryImpl();
    }

    /** Tells the session registry when sessions end, so it does not keep them. */
    @Bean
    HttpSessionEventPublisher httpSessionEventPublisher() {
        return new HttpSessionEventPublisher();
    }
}
