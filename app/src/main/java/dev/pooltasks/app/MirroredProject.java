package dev.pooltasks.app;

import dev.pooltasks.adapter.out.workspace.WorkspaceUpstream;
import dev.pooltasks.domain.service.MirrorSync;
import dev.pooltasks.domain.service.MirroredTaskSource;

/**
 * A project served from a mirror: the source that answers its queries (on every replica) and the sync that keeps the
 * mirror current (run by the replica holding the lease).
 *
 * @param upstream the guarded upstream the sync reads (its rate budget and circuit breaker apply)
 */
public record MirroredProject(String projectId, WorkspaceUpstream upstream, MirroredTaskSource source,
                              MirrorSync sync) {
}
