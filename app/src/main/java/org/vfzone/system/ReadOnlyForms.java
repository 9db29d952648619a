package org.vfzone.system;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.support.RequestContextUtils;

/**
 * A person who may only read, opening a page that creates or edits ({@code …/new}, {@code …/edit}), is taken to the
 * read-only page it belongs to (the list, or the object) with a note saying why, instead of a form refused on Save.
 */
@Configuration(proxyBeanMethods = false)
class ReadOnlyForms implements WebMvcConfigurer {

    private final RoleHierarchy roleHierarchy;

    ReadOnlyForms(RoleHierarchy roleHierarchy) {
        this.roleHierarchy = roleHierarchy;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new HandlerInterceptor() {
            @Override
            public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
                    throws IOException {
                String path = request.getRequestURI().substring(request.getContextPath().length());
                if (!"GET".equals(request.getMethod()) || !(path.endsWith("/new") || path.endsWith("/edit"))
                        || path.startsWith("/api/") || mayEdit()) {
                    return true;
                }
                String back = path.substring(0, path.lastIndexOf('/'));
                var flash = RequestContextUtils.getOutputFlashMap(request);
                flash.put("error", "Your role can see this, not change it: creating and editing need the OPERATOR "
                        + "role (ask an administrator).");
                RequestContextUtils.saveOutputFlashMap(back.isEmpty() ? "/" : back, request, response);
                response.sendRedirect(request.getContextPath() + (back.isEmpty() ? "/" : back));
                return false;
            }
        }).addPathPatterns("/**");
    }

    private boolean mayEdit() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth != null && roleHierarchy.getReachableGrantedAuthorities(auth.getAuthorities()).stream()
                .anyMatch(a -> a.getAuthority().equals("ROLE_OPERATOR"));
    }
}
