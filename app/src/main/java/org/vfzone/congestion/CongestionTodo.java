package org.vfzone.congestion;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.vfzone.system.TodoItem;
import org.vfzone.system.TodoSource;

/** Congestion's part of the to-do list: switch ports slow-draining in the last hour, on every fabric. */
@Component
@Order(12)
class CongestionTodo implements TodoSource {

    private final CongestionQueries queries;
    private final Clock clock;

    CongestionTodo(CongestionQueries queries, Clock clock) {
        this.queries = queries;
        this.clock = clock;
    }

    @Override
    @Transactional(readOnly = true)
    public List<TodoItem> todo() {
        Instant now = clock.instant();
        int ports = queries.overview(now.minus(Duration.ofHours(1)), now).stream()
                .mapToInt(CongestionQueries.FabricSummary::slowDraining).sum();
        return List.of(new TodoItem("ports-slow-draining", "Switch ports slow-draining in the last hour", ports,
                "/congestion?range=1h"));
    }
}
