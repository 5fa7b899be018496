package io.compensa.host.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings that are paths: a value that is no path is a configuration error naming the setting. */
class HostConfigPathsTest {
  @TempDir Path dir;

  @Test
  void aPasswordFileThatIsNoPathIsRefusedNamingTheSetting() throws Exception {
    // found by fuzzing (reliability/, HostConfigFuzzTest): it escaped as InvalidPathException
    Path file = dir.resolve("compensa.json");
    Files.writeString(
        file,
        "{\"state\": \"postgresql://db:5432/compensa?state=prod\","
            + " \"state_password_file\": \"pg-pass\\u0000word\"}");

    assertThatThrownBy(() -> HostConfigReader.read(file, null))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining(file + ": state_password_file is not a usable path")
        .hasMessageContaining("Nul character not allowed");
  }
}
