package io.compensa.bench;

import java.util.Arrays;
import java.util.List;

/** Percentiles and medians of measured figures. Stateless. */
final class Figures {
  private Figures() {}

  /** The {@code p}th percentile (nearest rank) of {@code values}. */
  static double percentile(double[] values, double p) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  /** The median of {@code values}; NaN when there are none. */
  static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    return percentile(values.stream().mapToDouble(Double::doubleValue).toArray(), 50);
  }

  /** {@code value} rounded to one decimal. */
  static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }

  /** The resident set size of process {@code pid} in MiB (VmRSS), or NaN when unreadable. */
  static double rssMiB(long pid) {
    return statusMiB(pid, "VmRSS:");
  }

  /**
   * The anonymous part of process {@code pid}'s resident set in MiB (RssAnon: heap, stacks, the
   * JIT's memory, malloc), or NaN when unreadable: what the process alone holds.
   */
  static double rssAnonMiB(long pid) {
    return statusMiB(pid, "RssAnon:");
  }

  /**
   * The file-backed part of process {@code pid}'s resident set in MiB (RssFile: the mapped jar, JDK
   * libraries, class-data archive or AOT cache), or NaN when unreadable: pages the kernel can share
   * with other processes mapping the same files and drop under pressure.
   */
  static double rssFileMiB(long pid) {
    return statusMiB(pid, "RssFile:");
  }

  /**
   * The CPU time process {@code pid}'s live threads have used so far, in ms (the first field of
   * each {@code /proc/PID/task/TID/schedstat}, in ns), or NaN when unreadable. Unlike wall time it
   * barely moves when other processes share the cores: the figure to compare start-up work by on a
   * busy machine.
   */
  static double cpuMillis(long pid) {
    java.nio.file.Path tasks = java.nio.file.Path.of("/proc/" + pid + "/task");
    long nanos = 0;
    try (java.util.stream.Stream<java.nio.file.Path> threads = java.nio.file.Files.list(tasks)) {
      for (java.nio.file.Path task : threads.toList()) {
        try {
          String line = java.nio.file.Files.readString(task.resolve("schedstat")).trim();
          nanos += Long.parseLong(line.substring(0, line.indexOf(' ')));
        } catch (java.io.IOException | RuntimeException threadGone) {
          // a thread that ended meanwhile
        }
      }
    } catch (java.io.IOException | RuntimeException gone) {
      return Double.NaN;
    }
    return nanos / 1e6;
  }

  /** A kB line of {@code /proc/PID/status}, in MiB, or NaN. */
  private static double statusMiB(long pid, String field) {
    try {
      for (String line :
          java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (java.io.IOException | NumberFormatException gone) {
      return Double.NaN;
    }
    return Double.NaN;
  }
}
