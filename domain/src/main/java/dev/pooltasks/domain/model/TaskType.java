package dev.pooltasks.domain.model;

/** Whether a task ran scripts from the library or an ad-hoc command. */
public enum TaskType {
    SCRIPT,
    COMMAND
}
