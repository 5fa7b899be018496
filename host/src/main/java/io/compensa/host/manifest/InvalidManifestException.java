package io.compensa.host.manifest;

import java.util.List;

/**
 * A plugin's manifest breaks the contract; the host refuses the plugin.
 *
 * <p>Lists every problem found, each naming the resource type and what to change. Immutable and
 * thread-safe.
 */
public final class InvalidManifestException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  /** Creates the exception for the manifest of {@code pluginName} with its {@code problems}. */
  public InvalidManifestException(String pluginName, List<String> problems) {
    super(message(pluginName, problems));
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, one sentence each. */
  public List<String> problems() {
    return problems;
  }

  private static String message(String pluginName, List<String> problems) {
    StringBuilder message =
        new StringBuilder("the manifest of plugin ")
            .append(pluginName)
            .append(" is invalid, so the host refuses the plugin (")
            .append(problems.size())
            .append(problems.size() == 1 ? " problem):" : " problems):");
    problems.forEach(problem -> message.append("\n  - ").append(problem));
    return message.toString();
  }
}
