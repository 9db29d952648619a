package org.vfzone.system;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The dashboard's to-do list as JSON: the same items, counts and links. */
@RestController
@io.swagger.v3.oas.annotations.tags.Tag(name = "Dashboard", description = "What needs doing")
class TodoApiController {

    private final Todo todo;

    TodoApiController(Todo todo) {
        this.todo = todo;
    }

    record TodoList(long open, List<TodoItem> items) {
    }

    /** Every to-do item with its count (zero included) and the page that lists it; {@code open} sums the counts. */
    @GetMapping("/api/todo")
    TodoList todo() {
        List<TodoItem> items = todo.items();
        return new TodoList(items.stream().mapToLong(TodoItem::count).sum(), items);
    }
}
