package org.vfzone.system;

import java.io.IOException;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request parameters that hold a NUL character (400, naming the parameter): no text vfzone stores or
 * searches may contain one, and PostgreSQL rejects it deep inside a query. Closing it here covers every search,
 * filter and form at once.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class NulCharacterFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String contentType = request.getContentType();
        // multipart bodies (file uploads) are checked by the import itself, line by line
        if (contentType == null || !contentType.toLowerCase().startsWith("multipart/")) {
            for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
                for (String value : parameter.getValue()) {
                    if (value != null && value.indexOf('\0') >= 0) {
                        response.sendError(HttpStatus.BAD_REQUEST.value(), "Parameter " + printable(parameter.getKey())
                                + " contains a NUL character");
                        return;
                    }
                }
            }
        }
        chain.doFilter(request, response);
    }

    private static String printable(String name) {
        String cleaned = name.replace('\0', '?');
        return cleaned.length() > 64 ? cleaned.substring(0, 64) + "…" : cleaned;
    }
}
