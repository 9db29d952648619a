package org.vfzone.system;

import java.util.List;

/** A feature's part of the to-do list; the dashboard and {@code GET /api/todo} show every source's items in order. */
public interface TodoSource {

    List<TodoItem> todo();
}
