package io.compensa.host.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.compensa.reliability.FuzzFiles;
import io.compensa.reliability.Refusals;
import java.nio.file.Path;

/**
 * The host configuration file ({@code compensa.json}), read from a real file: accepted, or refused
 * with {@link InvalidConfigException} naming the file; an accepted one names a command for every
 * plugin and resolves its paths.
 */
class HostConfigFuzzTest {
  @FuzzTest
  void hostConfig(byte[] input) throws Exception {
    Path file = FuzzFiles.write("compensa.json", input);
    HostConfig config;
    try {
      config = HostConfigReader.read(file, null);
    } catch (InvalidConfigException e) {
      Refusals.namePlace(e, file.toString());
      return;
    }
    if (!config.stateFile().isAbsolute() || !config.secretsFile().isAbsolute()) {
      throw new AssertionError("paths not resolved: " + config);
    }
    for (PluginEntry plugin : config.plugins().values()) {
      if (plugin.command().isEmpty()) {
        throw new AssertionError("a plugin without a command was accepted: " + plugin);
      }
    }
  }
}
