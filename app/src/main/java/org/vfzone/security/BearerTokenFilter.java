package org.vfzone.security;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/** Authenticates {@code Authorization: Bearer <token>} on the API with the token's role; a bad token gets 401. */
class BearerTokenFilter extends OncePerRequestFilter {

    private final ApiTokenService tokens;

    BearerTokenFilter(ApiTokenService tokens) {
        this.tokens = tokens;
    }

    /** The token's role on the fabrics it and its maker both cover; a COLLECTOR token acts on no fabric. */
    static UsernamePasswordAuthenticationToken authenticationOf(ApiTokenService.Holder holder) {
        List<GrantedAuthority> granted = new ArrayList<>();
        granted.add(new SimpleGrantedAuthority("ROLE_" + holder.role()));
        if (!"COLLECTOR".equals(holder.role())) {
            granted.addAll(FabricAccess.authorities(Role.valueOf(holder.role()), holder.scope()));
        }
        if (holder.scope().fabricIds().isEmpty() && !holder.scope().allFabrics()) {
            granted.add(new SimpleGrantedAuthority(FabricAccess.PREFIX + "NONE_0")); // scoped, to no fabric
        }
        return UsernamePasswordAuthenticationToken.authenticated(
                ApiTokenService.TOKEN_PRINCIPAL_PREFIX + holder.name(), null, granted);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header != null && header.startsWith("Bearer ")) {
            Optional<ApiTokenService.Holder> principal = tokens.authenticate(header.substring(7).strip());
            if (principal.isEmpty()) {
                response.sendError(HttpServletResponse.SC_UNAUTHORIZED, "Invalid or revoked API token");
                return;
            }
            SecurityContextHolder.getContext().setAuthentication(authenticationOf(principal.get()));
        }
        chain.doFilter(request, response);
    }
}
