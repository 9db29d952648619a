package org.vfzone.system;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.stereotype.Controller;

/**
 * A controller that renders pages (Thymeleaf), as opposed to a {@code @RestController} serving {@code /api}: page
 * errors become flash messages or the error page, API errors problem documents, and neither advice can reach the
 * other kind because {@code @RestController} is itself a {@code @Controller}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Controller
public @interface PageController {
}
