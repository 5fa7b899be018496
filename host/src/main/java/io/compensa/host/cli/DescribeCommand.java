package io.compensa.host.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.compensa.host.launch.BinaryPin;
import io.compensa.host.launch.LaunchOptions;
import io.compensa.host.launch.LaunchedPlugin;
import io.compensa.host.launch.PluginLauncher;
import io.compensa.proto.v1.Manifest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code compensa describe PLUGIN [ARGS...]}: launches a plugin, prints its validated manifest,
 * and stops it. Not thread-safe: one instance per invocation.
 */
@Command(
    name = "describe",
    mixinStandardHelpOptions = true,
    description = {
      "Launch a plugin, print its manifest (name, version, capabilities, resource types and their"
          + " compensation), and stop it.",
      "Options go before PLUGIN: everything after PLUGIN is passed to the plugin."
    })
final class DescribeCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--json", description = "Print the manifest as ProtoJSON.")
  boolean json;

  @Option(
      names = "--plugin-config",
      paramLabel = "JSON",
      description = "The plugin's configuration, a JSON object (passed in COMPENSA_PLUGIN_CONFIG).")
  String pluginConfig;

  @Option(
      names = "--sha256",
      paramLabel = "HEX",
      description = "Refuse to run the plugin unless its executable has this SHA-256.")
  String sha256;

  @Option(
      names = "--start-timeout",
      paramLabel = "DURATION",
      defaultValue = "60s",
      converter = DurationConverter.class,
      description = "How long the plugin may take to start (like 500ms, 30s, 2m); default ${DEFAULT-VALUE}.")
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
      description = "Arguments for the plugin.",
      arity = "0..*")
  List<String> arguments = new ArrayList<>();

  @Override
  public Integer call() throws InvalidProtocolBufferException {
    try (LaunchedPlugin launched = new PluginLauncher().launch(options())) {
      Manifest manifest = launched.manifest();
      if (json) {
        spec.commandLine().getOut().println(JsonFormat.printer().print(manifest));
      } else {
        spec.commandLine().getOut().print(ManifestText.render(manifest));
      }
      spec.commandLine().getOut().flush();
    }
    return 0;
  }

  private LaunchOptions options() {
    List<String> command = new ArrayList<>();
    command.add(plugin);
    command.addAll(arguments);
    try {
      LaunchOptions.Builder options =
          LaunchOptions.builder(command)
              .startTimeout(startTimeout)
              .transport(tcp ? LaunchOptions.Transport.TCP : LaunchOptions.Transport.UNIX)
              .autoMtls(mtls ? LaunchOptions.AutoMtls.ALWAYS : LaunchOptions.AutoMtls.TCP_ONLY);
      if (pluginConfig != null) {
        options.pluginConfigJson(pluginConfig);
      }
      if (sha256 != null) {
        options.binaryPin(BinaryPin.sha256(sha256));
      }
      return options.build();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
