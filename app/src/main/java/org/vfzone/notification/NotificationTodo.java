package org.vfzone.notification;

import java.util.List;

import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.vfzone.system.TodoItem;
import org.vfzone.system.TodoSource;

/** Notifications' part of the to-do list: enabled channels whose latest delivery failed or is being retried. */
@Component
@Order(20)
class NotificationTodo implements TodoSource {

    private final JdbcTemplate jdbc;

    NotificationTodo(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<TodoItem> todo() {
        Long failing = jdbc.queryForObject(NotificationService.FAILING_CHANNELS_COUNT, Long.class);
        return List.of(new TodoItem("channels-failing", "Notification channels failing", failing,
                "/notifications?failing=true"));
    }
}
