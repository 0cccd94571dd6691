package dev.pooltasks.domain.model;

import java.util.Objects;

/** A script from the project's script library, as a task references it. */
public record Script(String id, String name) {
    public Script {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
    }
}
