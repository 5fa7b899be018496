package io.compensa.host.cli;

import io.compensa.host.config.HostConfig;
import io.compensa.host.config.HostConfigReader;
import io.compensa.host.config.InvalidConfigException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option the plan, apply and state commands share. */
final class ConfigOption {
  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      defaultValue = "compensa.json",
      description =
          "The host configuration: plugins, state and secrets files; default ${DEFAULT-VALUE}.")
  Path file;

  HostConfig read() throws InvalidConfigException {
    return HostConfigReader.read(file);
  }
}
