package io.compensa.bench;

/**
 * What one launch of one plugin under one host measured: launch to ready (handshake, connection,
 * health check and Describe answered), launch to the first Read reply, the sequential Read round
 * trip, the Read rate of concurrent callers, and the plugin's RSS after that load, whole and its
 * anonymous and file-backed parts, and the CPU time the plugin used until ready (NaN where the host
 * does not report them).
 */
record ProcessFigures(
    double readyMillis,
    double readyCpuMillis,
    double launchMillis,
    double p50Micros,
    double p99Micros,
    double callsPerSecond,
    double rssMiB,
    double rssAnonMiB,
    double rssFileMiB) {}
