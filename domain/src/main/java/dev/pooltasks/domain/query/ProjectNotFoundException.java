package dev.pooltasks.domain.query;

/** The project id is not served by any configured task source. */
public final class ProjectNotFoundException extends RuntimeException {
    private final String projectId;

    public ProjectNotFoundException(String projectId) {
        super("project not found: " + projectId, null, false, false);
        this.projectId = projectId;
    }

    public String projectId() {
        return projectId;
    }
}
