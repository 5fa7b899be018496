package io.compensa.sdk.testkit;

import io.compensa.host.conformance.ConformanceReport;
import io.compensa.host.conformance.ConformanceSuite;
import io.compensa.host.launch.LaunchOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.opentest4j.AssertionFailedError;

/**
 * The conformance suite (docs/protocol.md, "Checking your plugin") in one call from a JUnit test:
 * launches the plugin through the real host, runs every check, and fails the test with the report
 * when a check fails.
 *
 * <pre>{@code
 * @Test
 * void myPluginConforms(@TempDir Path root) {
 *   PluginConformance.assertConforms(
 *       PluginConformance.javaCommand(MyPlugin.class), "{\"root\": \"" + root + "\"}");
 * }
 * }</pre>
 *
 * <p>The checks make real resources from the sample configs in the plugin's manifest: point the
 * plugin at a scratch configuration. Stateless and thread-safe, though each call runs one plugin.
 */
public final class PluginConformance {
  private PluginConformance() {}

  /**
   * Runs the suite on the plugin {@code command} starts, with no plugin configuration.
   *
   * @throws AssertionFailedError listing every check, when one failed
   */
  public static ConformanceReport assertConforms(List<String> command) {
    return assertConforms(LaunchOptions.builder(command).build());
  }

  /**
   * Runs the suite on the plugin {@code command} starts, passing it {@code pluginConfigJson}.
   *
   * @param pluginConfigJson the plugin's configuration, a JSON object
   * @throws AssertionFailedError listing every check, when one failed
   */
  public static ConformanceReport assertConforms(List<String> command, String pluginConfigJson) {
    return assertConforms(
        LaunchOptions.builder(command).pluginConfigJson(pluginConfigJson).build());
  }

  /**
   * Runs the suite with {@code options} (transport, AutoMTLS, grace period...).
   *
   * @return the report, when every check passed or was skipped
   * @throws AssertionFailedError listing every check, when one failed
   */
  public static ConformanceReport assertConforms(LaunchOptions options) {
    ConformanceReport report = run(options);
    if (!report.conforms()) {
      throw new AssertionFailedError(
          "plugin "
              + report.plugin()
              + " does not conform: "
              + report.failed().size()
              + " check(s) failed\n"
              + report.text());
    }
    return report;
  }

  /** Runs the suite and returns the report, whatever it says. */
  public static ConformanceReport run(LaunchOptions options) {
    return new ConformanceSuite(options).run();
  }

  /**
   * The command that runs {@code mainClass} in a fresh JVM on this JVM's class path: how a test
   * runs a plugin straight from its build output.
   *
   * @param arguments arguments for the plugin's {@code main}
   */
  public static List<String> javaCommand(Class<?> mainClass, String... arguments) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(List.of(arguments));
    return command;
  }
}
