package io.compensa.host.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.compensa.host.launch.BinaryPin;
import io.compensa.host.launch.LaunchOptions;
import io.compensa.host.launch.LaunchedPlugin;
import io.compensa.host.launch.PluginLauncher;
import io.compensa.proto.v1.Manifest;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code compensa describe PLUGIN [ARGS...]}: launches a plugin, prints its validated manifest, and
 * stops it. Not thread-safe: one instance per invocation.
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
      names = "--sha256",
      paramLabel = "HEX",
      description = "Refuse to run the plugin unless its executable has this SHA-256.")
  String sha256;

  @Mixin PluginCommandLine plugin;

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
    try {
      LaunchOptions.Builder options = plugin.options();
      if (sha256 != null) {
        options.binaryPin(BinaryPin.sha256(sha256));
      }
      return options.build();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
