package org.vfzone.provisioning;

import java.util.List;

import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.vfzone.system.TodoItem;
import org.vfzone.system.TodoSource;

/** Provisioning's part of the to-do list: jobs waiting for an approver. */
@Component
@Order(11)
class ProvisioningTodo implements TodoSource {

    private final JdbcTemplate jdbc;

    ProvisioningTodo(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    @Transactional(readOnly = true)
    public List<TodoItem> todo() {
        Long waiting = jdbc.queryForObject(
                "select count(*) from provision_job where status = 'WAITING_APPROVAL' and not superseded", Long.class);
        return List.of(new TodoItem("jobs-waiting", "Provisioning jobs waiting for an approver",
                waiting == null ? 0 : waiting, "/provision?status=WAITING_APPROVAL"));
    }
}
