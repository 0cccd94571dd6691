package dev.pooltasks.domain.model;

import java.util.Objects;

/** The shell a COMMAND task ran in. Lenient like {@link TaskStatus}: unknown upstream values are kept. */
public record CommandType(String value) {
    public static final CommandType POWERSHELL = new CommandType("POWERSHELL");
    public static final CommandType BAT = new CommandType("BAT");
    public static final CommandType SHELL = new CommandType("SHELL");

    public CommandType {
        Objects.requireNonNull(value, "value");
    }

    // Written out, not generated: see TaskStatus.
    @Override
    public boolean equals(Object o) {
        return o instanceof CommandType other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
