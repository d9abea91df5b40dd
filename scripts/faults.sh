#!/usr/bin/env bash
# Fault scenarios against the built jar (docs/operations.md "Fault scenarios"): Redis shut down and restarted under
# load, Redis frozen (SIGSTOP), kill -9 and restart, SIGTERM with streams in flight; one line per scenario.
# Needs redis-server on the PATH. Usage: scripts/faults.sh [--connections N] [--outage S] [--jar PATH]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q package -DskipTests
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
exec java -Xms256m -Xmx1g -Duser.timezone=UTC -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" \
  dev.relay.bench.FaultRun "$@"
