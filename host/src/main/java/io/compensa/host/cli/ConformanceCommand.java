package io.compensa.host.cli;

import com.google.protobuf.Struct;
import io.compensa.host.conformance.ConformanceReport;
import io.compensa.host.conformance.ConformanceSuite;
import io.compensa.host.conformance.SampleConfigs;
import io.compensa.host.launch.LaunchOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code compensa conformance PLUGIN [ARGS...]}: runs the conformance suite on a plugin and prints
 * one line per check and a summary; exits 1 when a check failed. Not thread-safe: one instance per
 * invocation.
 */
@Command(
    name = "conformance",
    mixinStandardHelpOptions = true,
    description = {
      "Check that a plugin keeps the Compensa contract: cookie, handshake, Describe, health, CRUD"
          + " round trips from sample configs, idempotent Create and Delete, inverses and"
          + " Compensate, graceful shutdown. It makes real resources: point the plugin at a"
          + " scratch configuration.",
      "Prints PASS|FAIL <check> [type] — detail per check, then \"N passed, M failed\"; exits 1"
          + " when a check failed. Options go before PLUGIN."
    })
final class ConformanceCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--sample-configs",
      paramLabel = "FILE",
      description = "A JSON file {\"type\": [config, ...]} whose configs replace the manifest's.")
  Path sampleConfigs;

  @Option(
      names = "--plugin-config",
      paramLabel = "JSON",
      description = "The plugin's configuration, a JSON object (passed in COMPENSA_PLUGIN_CONFIG).")
  String pluginConfig;

  @Option(
      names = "--grace-period",
      paramLabel = "DURATION",
      defaultValue = "2s",
      converter = DurationConverter.class,
      description = "How long the plugin may take to exit after Shutdown; default ${DEFAULT-VALUE}.")
  Duration gracePeriod;

  @Option(
      names = "--start-timeout",
      paramLabel = "DURATION",
      defaultValue = "60s",
      converter = DurationConverter.class,
      description = "How long the plugin may take to start; default ${DEFAULT-VALUE}.")
  Duration startTimeout;

  @Option(names = "--tcp", description = "Ask the plugin to listen on TCP (with AutoMTLS).")
  boolean tcp;

  @Option(
      names = "--mtls",
      description = "Use AutoMTLS on a Unix socket too (it is always used on TCP).")
  boolean mtls;

  @Parameters(index = "0", paramLabel = "PLUGIN", description = "The plugin executable's path.")
  String plugin;

  @Parameters(index = "1..*", paramLabel = "ARGS", arity = "0..*",
      description = "Arguments for the plugin.")
  List<String> arguments = new ArrayList<>();

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
        new ConformanceSuite(options, samples, check -> {
          out.println(check.line());
          out.flush();
        }).run();
    out.println(report.summary());
    out.flush();
    return report.conforms() ? 0 : 1;
  }

  private LaunchOptions options() {
    List<String> command = new ArrayList<>();
    command.add(plugin);
    command.addAll(arguments);
    try {
      LaunchOptions.Builder options = LaunchOptions.builder(command)
          .startTimeout(startTimeout)
          .gracePeriod(gracePeriod)
          .transport(tcp ? LaunchOptions.Transport.TCP : LaunchOptions.Transport.UNIX)
          .autoMtls(mtls ? LaunchOptions.AutoMtls.ALWAYS : LaunchOptions.AutoMtls.TCP_ONLY);
      if (pluginConfig != null) {
        options.pluginConfigJson(pluginConfig);
      }
      return options.build();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
