package io.compensa.host.cli;

import io.compensa.host.launch.LaunchOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The options and arguments that name one plugin to launch, shared by {@code describe} and {@code
 * conformance}: {@code [--plugin-config JSON] [--start-timeout D] [--tcp] [--mtls] PLUGIN
 * [ARGS...]}. Everything after PLUGIN is the plugin's own.
 */
final class PluginCommandLine {
  @Option(
      names = "--plugin-config",
      paramLabel = "JSON",
      description = "The plugin's configuration, a JSON object (passed in COMPENSA_PLUGIN_CONFIG).")
  String pluginConfig;

  @Option(
      names = "--start-timeout",
      paramLabel = "DURATION",
      defaultValue = "60s",
      converter = DurationConverter.class,
      description =
          "How long the plugin may take to start (like 500ms, 30s, 2m); default ${DEFAULT-VALUE}.")
  Duration startTimeout;

  @Option(
      names = "--tcp",
      description = "Ask the plugin to listen on TCP (with AutoMTLS) instead of a Unix socket.")
  boolean tcp;

  @Option(
      names = "--mtls",
      description = "Use AutoMTLS on a Unix socket too (it is always used on TCP).")
  boolean mtls;

  @Parameters(index = "0", paramLabel = "PLUGIN", description = "The plugin executable's path.")
  String plugin;

  @Parameters(
      index = "1..*",
      paramLabel = "ARGS",
      arity = "0..*",
      description = "Arguments for the plugin.")
  List<String> arguments = new ArrayList<>();

  /**
   * Launch options for the named plugin.
   *
   * @throws IllegalArgumentException when an option's value is refused (the caller reports it as a
   *     usage error)
   */
  LaunchOptions.Builder options() {
    List<String> command = new ArrayList<>();
    command.add(plugin);
    command.addAll(arguments);
    LaunchOptions.Builder options =
        LaunchOptions.builder(command)
            .startTimeout(startTimeout)
            .transport(tcp ? LaunchOptions.Transport.TCP : LaunchOptions.Transport.UNIX)
            .autoMtls(mtls ? LaunchOptions.AutoMtls.ALWAYS : LaunchOptions.AutoMtls.TCP_ONLY);
    if (pluginConfig != null) {
      options.pluginConfigJson(pluginConfig);
    }
    return options;
  }
}
