package org.vfzone.security;

import java.util.Locale;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** Demo mode only: one documented account per role, so a newcomer can try every workflow. */
@Component
@Profile("demo")
@Order(0)
class DemoUsers implements ApplicationRunner {

    static final String DEMO_PASSWORD = "vfzone-demo";

    private final UserService users;

    DemoUsers(UserService users) {
        this.users = users;
    }

    @Override
    public void run(ApplicationArguments args) {
        for (Role role : Role.values()) {
            String username = role.name().toLowerCase(Locale.ROOT);
            if (!users.exists(username)) {
                users.createDemoUser(username, DEMO_PASSWORD, role);
            }
        }
    }
}
