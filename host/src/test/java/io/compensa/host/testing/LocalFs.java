package io.compensa.host.testing;

import io.compensa.host.launch.LaunchOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The real localfs sample plugin, run as a process from the test class path. */
public final class LocalFs {
  /** The plugin's main class. */
  public static final String MAIN_CLASS = "io.compensa.samples.localfs.LocalFsPlugin";

  private LocalFs() {}

  /** The java executable running these tests. */
  public static String java() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** The command that runs localfs: {@code java -cp <test class path> LocalFsPlugin}. */
  public static List<String> command() {
    return List.of(
        java(),
        "-XX:TieredStopAtLevel=1",
        "-cp",
        System.getProperty("java.class.path"),
        MAIN_CLASS);
  }

  /** {@code prefix} followed by the localfs command, for wrapper scripts that run it. */
  public static List<String> commandAfter(Path wrapper) {
    List<String> command = new ArrayList<>();
    command.add(wrapper.toString());
    command.addAll(command());
    return command;
  }

  /** Launch options for localfs over {@code command}, serving files under {@code root}. */
  public static LaunchOptions.Builder options(List<String> command, Path root) {
    return LaunchOptions.builder(command)
        .name("localfs")
        .pluginConfigJson("{\"root\": \"" + root + "\"}")
        .startTimeout(Duration.ofSeconds(30));
  }
}
