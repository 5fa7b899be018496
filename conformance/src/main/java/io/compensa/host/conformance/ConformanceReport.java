package io.compensa.host.conformance;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Every check a conformance run made, in order, and the summary line.
 *
 * <p>Immutable and thread-safe.
 *
 * @param plugin the plugin's name
 * @param checks the checks in the order they ran
 */
public record ConformanceReport(String plugin, List<ConformanceCheck> checks) {
  /** Copies the checks. */
  public ConformanceReport {
    checks = List.copyOf(checks);
  }

  /** Whether no check failed. */
  public boolean conforms() {
    return failed().isEmpty();
  }

  /** The checks that failed. */
  public List<ConformanceCheck> failed() {
    return with(ConformanceCheck.Result.FAIL);
  }

  /** The checks that passed. */
  public List<ConformanceCheck> passed() {
    return with(ConformanceCheck.Result.PASS);
  }

  /** The checks that could not run. */
  public List<ConformanceCheck> skipped() {
    return with(ConformanceCheck.Result.SKIP);
  }

  /**
   * {@code N passed, M failed, K skipped}, and when checks were skipped, which and why: {@code
   * (diff [t]: needs a second sample config; ...)}.
   */
  public String summary() {
    List<ConformanceCheck> skipped = skipped();
    return passed().size()
        + " passed, "
        + failed().size()
        + " failed, "
        + skipped.size()
        + " skipped"
        + (skipped.isEmpty()
            ? ""
            : skipped.stream()
                .map(
                    c ->
                        c.name()
                            + (c.type() == null ? "" : " [" + c.type() + "]")
                            + ": "
                            + c.detail())
                .collect(Collectors.joining("; ", " (", ")")));
  }

  /** One line per check, then the summary line. */
  public String text() {
    return checks.stream().map(ConformanceCheck::line).collect(Collectors.joining("\n"))
        + "\n"
        + summary()
        + "\n";
  }

  private List<ConformanceCheck> with(ConformanceCheck.Result result) {
    return checks.stream().filter(c -> c.result() == result).toList();
  }
}
