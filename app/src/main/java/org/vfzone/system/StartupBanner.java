package org.vfzone.system;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.stereotype.Component;

/** Tells the person who started vfzone where to point the browser. */
@Component
class StartupBanner {

    private static final Logger log = LoggerFactory.getLogger(StartupBanner.class);

    @EventListener
    void ready(ApplicationReadyEvent event) {
        Environment env = event.getApplicationContext().getEnvironment();
        String port = env.getProperty("local.server.port", env.getProperty("server.port", "8080"));
        if (env.acceptsProfiles(Profiles.of("demo"))) {
            log.info("vfzone demo is ready at http://localhost:{}/ - sign in as admin, approver, operator or viewer "
                    + "with password vfzone-demo", port);
        } else {
            log.info("vfzone is ready at http://localhost:{}/", port);
        }
    }
}
