package dev.pooltasks.domain.model;

import java.util.Objects;

/** A script from the project's script library, as a task references it. */
public record Script(String id, String name) {
    public Script {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
    }

    // Written out, not generated: see TaskStatus.
    @Override
    public boolean equals(Object o) {
        return o instanceof Script other && id.equals(other.id) && name.equals(other.name);
    }

    @Override
    public int hashCode() {
        return 31 * id.hashCode() + name.hashCode();
    }
}
