#!/usr/bin/env bash
# A soak run: at least 10 minutes of mixed traffic against the built jars (signed SDK calls, token calls, federation
# pages, repeated and distinct queries), reporting valid calls refused (must be 0), heap after GC at the start and the
# end, cache weight, open file descriptors and threads. The test is e2e/.../SoakTest.java; this script builds what it
# needs through the reactor, runs it, and writes its report to bench/results/<date>-soak-<sha>.md. CI does not run it.
#
# Usage: bench/soak.sh            Knobs (environment): SOAK_MINUTES=10, SOAK_RESULTS_DIR=bench/results
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MINUTES=${SOAK_MINUTES:-10}
RESULTS=${SOAK_RESULTS_DIR:-$ROOT/bench/results}
SHA=$(git -C "$ROOT" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
DIRTY=$(git -C "$ROOT" status --porcelain 2>/dev/null | grep -q . && echo "+uncommitted changes" || true)
REPORT=$RESULTS/$(date -u +%Y-%m-%d)-soak-$SHA.md
mkdir -p "$RESULTS"
cd "$ROOT"
echo "soak: $MINUTES min (+1 min warm-up) at $SHA$DIRTY; report: $REPORT" >&2
mvn -B -ntp -pl e2e -am verify -Dtest=SoakTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dpooltasks.soak.minutes="$MINUTES" -Dpooltasks.soak.report="$REPORT" \
    -Dpooltasks.soak.commit="$SHA$DIRTY" -Dpooltasks.soak.command="SOAK_MINUTES=$MINUTES bench/soak.sh"
cat "$REPORT"
