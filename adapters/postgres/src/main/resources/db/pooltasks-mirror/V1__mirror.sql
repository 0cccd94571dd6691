-- Mirror mode (README, "Mirror mode"): the tasks of mirrored projects, kept after the upstream forgets them, and the
-- state of their sync. Every API field of a task is a column; times are UTC instants.

-- Numbers every write of a task that added or changed it: readers apply the rows beyond the last number they saw.
CREATE SEQUENCE task_change_seq;

CREATE TABLE task (
    project_id        text        NOT NULL, -- the project id as pooltasks serves it
    id                text        NOT NULL,
    desktop_pool_id   text        NOT NULL,
    desktop_pool_name text,
    script_ids        text[]      NOT NULL, -- the task's scripts in order (empty for a COMMAND task) ...
    script_names      text[]      NOT NULL, -- ... and their names, position by position (see the view task_script)
    command_content   text,
    command_type      text,
    task_type         text        NOT NULL GENERATED ALWAYS AS (
                          CASE WHEN command_content IS NOT NULL AND cardinality(script_ids) = 0
                               THEN 'COMMAND' ELSE 'SCRIPT' END) STORED,
    start_time        timestamptz NOT NULL,
    end_time          timestamptz,          -- null while the task runs
    status            text        NOT NULL, -- FINISH, FAILED, RUNNING, INIT (or whatever else the upstream says)
    success_num       integer     NOT NULL,
    failed_num        integer     NOT NULL,
    skip_num          integer     NOT NULL,
    first_seen        timestamptz NOT NULL, -- when a sync first stored the task
    last_seen         timestamptz NOT NULL, -- when a sync last read it from the upstream
    change_seq        bigint      NOT NULL, -- the write that last added or changed it (task_change_seq)
    PRIMARY KEY (project_id, id)
);
CREATE INDEX task_by_change ON task (project_id, change_seq);
CREATE INDEX task_by_start ON task (project_id, start_time DESC);
CREATE INDEX task_unfinished ON task (project_id) WHERE status IN ('INIT', 'RUNNING');

-- One row per script a task ran, for reports by script.
CREATE VIEW task_script AS
SELECT t.project_id, t.id AS task_id, s.position::integer AS position, s.script_id, s.script_name,
       t.start_time, t.end_time, t.status, t.desktop_pool_id, t.desktop_pool_name
FROM task t
CROSS JOIN LATERAL unnest(t.script_ids, t.script_names) WITH ORDINALITY AS s (script_id, script_name, position);

-- The scripts the mirrored tasks ran, with their latest name.
CREATE VIEW script AS
SELECT project_id, script_id AS id, (array_agg(script_name ORDER BY start_time DESC))[1] AS name,
       count(*) AS tasks, max(start_time) AS last_run
FROM task_script
GROUP BY project_id, script_id;

-- Where each mirrored project's sync stands, and which replica syncs it (the lease).
CREATE TABLE sync_state (
    project_id         text        PRIMARY KEY,
    backfill_done      boolean     NOT NULL DEFAULT false,
    watermark          timestamptz,          -- the newest start_time the walks for new tasks have reached
    last_reconciled_at timestamptz,          -- when the last complete reconciliation walk (or the backfill) began
    last_cycle_at      timestamptz,          -- when the last successful sync cycle ended
    last_cycle_calls   integer     NOT NULL DEFAULT 0,
    last_purged_at     timestamptz,          -- when retention last ran
    purge_generation   bigint      NOT NULL DEFAULT 0,
    lease_holder       text,                 -- the replica that syncs, until lease_expires_at
    lease_expires_at   timestamptz
);

-- Walks in progress (and the backfill's, kept with its final counts): where the next page starts.
CREATE TABLE sync_walk (
    project_id    text        NOT NULL REFERENCES sync_state ON DELETE CASCADE,
    kind          text        NOT NULL CHECK (kind IN ('backfill', 'new_tasks', 'reconciliation')),
    upper_bound   timestamptz,          -- the next page's execute_time_end (null: from the newest)
    skip_at_bound integer     NOT NULL, -- tasks at upper_bound already walked: the next page's offset
    lower_bound   timestamptz,          -- the walk's execute_time_start (null: to the oldest)
    newest        timestamptz,          -- the newest start_time met
    tasks         bigint      NOT NULL, -- tasks walked so far
    calls         bigint      NOT NULL, -- upstream calls so far
    remaining     bigint      NOT NULL, -- tasks the last page said were left
    started_at    timestamptz NOT NULL,
    PRIMARY KEY (project_id, kind)
);
