package org.vfzone;

import java.util.UUID;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The people the tests sign in as with mock authentication ({@code user("bob")}): in the application every signed-in
 * person has a user row, and four-eyes rules compare those rows' ids, so the tests' people need rows too. Their
 * rights come from the mock authentication; the row's ADMIN role matters only as the maker of a token.
 */
@TestComponent
@Order(200) // after the first start's admin, which is made only while no user exists
public class TestPeople implements ApplicationRunner {

    static final String[] NAMES = {"alice", "bob", "carol", "olga", "vera", "root", "op", "viewer", "ada", "vic",
            "vw", "mallory", "someone-else", "bench", "importer", "fuzz-admin", "collector", "approver", "operator", "tester"};

    private final JdbcTemplate jdbc;

    TestPeople(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void run(ApplicationArguments args) {
        ensure(jdbc);
    }

    /** For tests that start the application themselves. */
    public static void ensure(JdbcTemplate jdbc) {
        for (String name : NAMES) {
            // no password anyone could type: these people sign in only through the tests' mock authentication
            jdbc.update("insert into app_user (username, password_hash, role) values (?, ?, 'ADMIN') "
                    + "on conflict do nothing", name, "{noop}" + UUID.randomUUID() + UUID.randomUUID());
        }
    }
}
