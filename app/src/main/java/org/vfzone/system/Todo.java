package org.vfzone.system;

import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/** The to-do list: every feature's open items ({@link TodoSource}), in the sources' order. */
@Service
public class Todo {

    private final ObjectProvider<TodoSource> sources;

    Todo(ObjectProvider<TodoSource> sources) {
        this.sources = sources;
    }

    public List<TodoItem> items() {
        return sources.orderedStream().flatMap(source -> source.todo().stream()).toList();
    }
}
