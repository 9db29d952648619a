package org.vfzone.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * On the first start (no users yet) creates {@code admin}: with {@code VFZONE_ADMIN_PASSWORD} when set, otherwise
 * with a random password written once to the log. There is no built-in default password.
 */
@Component
@Order(100)
class InitialAdmin implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(InitialAdmin.class);

    private final UserService users;
    private final String configuredPassword;

    @Autowired
    InitialAdmin(UserService users, SecurityProperties properties) {
        this(users, properties.adminPassword());
    }

    InitialAdmin(UserService users, String password) {
        this.users = users;
        this.configuredPassword = password;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!users.noUsers()) {
            return;
        }
        if (!configuredPassword.isBlank()) {
            users.create("admin", configuredPassword, Role.ADMIN);
            log.info("Created user 'admin' with the password from VFZONE_ADMIN_PASSWORD");
            return;
        }
        String password = UserService.randomPassword();
        users.create("admin", password, Role.ADMIN);
        log.warn("""

                ==============================================================
                 First start: created user 'admin' with password {}
                 It is shown only this once. Change it under Account.
                ==============================================================""", password);
    }
}
