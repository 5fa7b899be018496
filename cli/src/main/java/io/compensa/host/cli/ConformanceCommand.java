package io.compensa.host.cli;

import com.google.protobuf.Struct;
import io.compensa.host.conformance.ConformanceReport;
import io.compensa.host.conformance.ConformanceSuite;
import io.compensa.host.conformance.SampleConfigs;
import io.compensa.host.launch.LaunchOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code compensa conformance PLUGIN [ARGS...]}: runs the conformance suite on a plugin and prints
 * one line per check and a summary; exits 1 when a check failed. Not thread-safe: one instance per
 * invocation.
 */
@Command(
    name = "conformance",
    mixinStandardHelpOptions = true,
    description = {
      "Check that a plugin keeps the Compensa contract: cookie, handshake, health, Describe,"
          + " reflection, CRUD round trips from sample configs, Read without a provider id, Diff,"
          + " idempotent Create and Delete, inverses and Compensate, typed driver errors, graceful"
          + " shutdown, SIGINT ignored, the orphan guard. It makes real resources: point the"
          + " plugin at a scratch configuration.",
      "Prints PASS|FAIL|SKIP <check> [type] — detail per check, then \"N passed, M failed, K"
          + " skipped\" (with which were skipped and why); exits 1 when a check failed. Options go"
          + " before PLUGIN."
    })
final class ConformanceCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--sample-configs",
      paramLabel = "FILE",
      description = "A JSON file {\"type\": [config, ...]} whose configs replace the manifest's.")
  Path sampleConfigs;

  @Option(
      names = "--grace-period",
      paramLabel = "DURATION",
      defaultValue = "2s",
      converter = DurationConverter.class,
      description =
          "How long the plugin may take to exit after Shutdown; default ${DEFAULT-VALUE}.")
  Duration gracePeriod;

  @Mixin PluginCommandLine plugin;

  @Override
  public Integer call() {
    LaunchOptions options = options();
    Map<String, List<Struct>> samples;
    try {
      samples = sampleConfigs == null ? Map.of() : SampleConfigs.read(sampleConfigs);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    ConformanceReport report =
        new ConformanceSuite(
                options,
                samples,
                check -> {
                  out.println(check.line());
                  out.flush();
                })
            .run();
    out.println(report.summary());
    out.flush();
    return report.conforms() ? 0 : 1;
  }

  private LaunchOptions options() {
    try {
      return plugin.options().gracePeriod(gracePeriod).build();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
