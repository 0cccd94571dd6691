package dev.pooltasks.domain.query;

/** Wire names of the query's parameters, used to name the offending one in errors. */
public final class QueryParameters {
    public static final String PROJECT_ID = "project_id";
    public static final String DESKTOP_POOL_ID = "desktop_pool_id";
    public static final String SCRIPT_ID = "script_id";
    public static final String SCRIPT_NAME = "script_name";
    public static final String STATUS = "status";
    public static final String TASK_TYPE = "task_type";
    public static final String EXECUTE_TIME_START = "execute_time_start";
    public static final String EXECUTE_TIME_END = "execute_time_end";
    public static final String TASK_ID = "task_id";
    public static final String OFFSET = "offset";
    public static final String LIMIT = "limit";
    public static final String GROUP_BY = "group_by";
    public static final String TIME_ZONE = "time_zone";

    private QueryParameters() {
    }
}
