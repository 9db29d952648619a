package org.vfzone.system;

import java.time.Duration;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.resource.LiteWebJarsResourceResolver;
import org.springframework.web.servlet.resource.ResourceUrlEncodingFilter;
import org.springframework.web.servlet.resource.VersionResourceResolver;

/**
 * Stylesheets, scripts and the icon, served under their own prefixes only and linked by a name that carries a hash of
 * their content: a browser keeps each for a year and fetches it again only when an upgrade changes it.
 * <p>
 * Spring Boot's default handler serves static files under {@code /**}. Every link a page writes ({@code /vms/42},
 * hundreds on a list) then matched it, and naming each link by content looked for a file of that name on the whole
 * class path, on every page. Under these prefixes only the links to these files are looked up (and kept once found).
 * Boot's own mappings are off ({@code spring.web.resources.add-mappings=false}).
 */
@Configuration(proxyBeanMethods = false)
class StaticResources implements WebMvcConfigurer {

    private static final CacheControl A_YEAR = CacheControl.maxAge(Duration.ofDays(365));

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/webjars/**").addResourceLocations("classpath:/META-INF/resources/webjars/")
                .setCacheControl(A_YEAR).resourceChain(true)
                .addResolver(byContent()).addResolver(new LiteWebJarsResourceResolver());
        for (String folder : new String[] {"css", "js"}) {
            registry.addResourceHandler("/" + folder + "/**").addResourceLocations("classpath:/static/" + folder + "/")
                    .setCacheControl(A_YEAR).resourceChain(true).addResolver(byContent());
        }
        registry.addResourceHandler("/favicon*.svg").addResourceLocations("classpath:/static/")
                .setCacheControl(A_YEAR).resourceChain(true).addResolver(byContent());
    }

    private static VersionResourceResolver byContent() {
        return new VersionResourceResolver().addContentVersionStrategy("/**");
    }

    /** Rewrites the links pages write to these files ({@code @{/css/vfzone.css}}) to their names by content. */
    @Bean
    ResourceUrlEncodingFilter resourceUrlEncodingFilter() {
        return new ResourceUrlEncodingFilter();
    }
}
