package io.compensa.bench;

/** What one launch of one plugin under one host measured. */
record ProcessFigures(double launchMillis, double p50Micros, double p99Micros, double callsPerSecond,
    double rssMiB) {}
