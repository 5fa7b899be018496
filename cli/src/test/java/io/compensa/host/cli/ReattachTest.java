package io.compensa.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import io.compensa.host.testing.ChildCli;
import io.compensa.host.testing.LocalFs;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin author's debug loop: the localfs plugin started by hand in debug mode
 * (COMPENSA_PLUGIN_DEBUG=1) prints the line to paste; {@code compensa} (a child JVM, as an operator
 * runs it) with that line in COMPENSA_REATTACH_PLUGINS attaches to it instead of launching the
 * configured command (which here does not even exist), applies twice, and leaves it running.
 */
class ReattachTest {
  private static final String PREFIX = "export COMPENSA_REATTACH_PLUGINS='";

  @TempDir Path dir;

  @Test
  void twoAppliesAgainstAPluginInDebugModeSucceedAndLeaveTheSameProcessRunning() throws Exception {
    Path world = Files.createDirectories(dir.resolve("world"));
    ProcessBuilder debug =
        new ProcessBuilder(LocalFs.command()).redirectError(dir.resolve("plugin.log").toFile());
    debug.environment().put("COMPENSA_PLUGIN_DEBUG", "1");
    debug.environment().put("COMPENSA_PLUGIN_CONFIG", "{\"root\": \"" + world + "\"}");
    debug.environment().remove("COMPENSA_PLUGIN_MAGIC_COOKIE");
    Process plugin = debug.start();
    try {
      BufferedReader stdout =
          new BufferedReader(
              new InputStreamReader(plugin.getInputStream(), StandardCharsets.UTF_8));
      String line =
          CompletableFuture.supplyAsync(() -> firstLine(stdout)).get(60, TimeUnit.SECONDS);
      assertThat(line).as("the line to paste").startsWith(PREFIX).endsWith("'");
      String reattach = line.substring(PREFIX.length(), line.length() - 1);
      assertThat(JsonParser.parseString(reattach).getAsJsonObject().get("localfs").getAsString())
          .startsWith("1|1|unix|")
          .endsWith("|grpc");

      Path config =
          InProcessCli.writeConfig(
              dir,
              "state/state.json",
              null,
              "localfs",
              InProcessCli.plugin(
                  List.of(dir.resolve("never-launched").toString()),
                  InProcessCli.localfsConfig(world)));
      Files.writeString(
          dir.resolve("one.json"),
          "{\"resources\": [{\"name\": \"a\", \"type\": \"localfs_file\","
              + " \"config\": {\"path\": \"a.txt\", \"content\": \"one\\n\"}}]}");
      Files.writeString(
          dir.resolve("two.json"),
          "{\"resources\": [{\"name\": \"a\", \"type\": \"localfs_file\","
              + " \"config\": {\"path\": \"a.txt\", \"content\": \"one\\n\"}},"
              + " {\"name\": \"b\", \"type\": \"localfs_file\","
              + " \"config\": {\"path\": \"b.txt\", \"content\": \"two\\n\"}}]}");

      for (String desired : List.of("one", "two")) {
        cli(
            reattach,
            "plan",
            "--config",
            config.toString(),
            "-o",
            desired + "-plan.json",
            desired + ".json");
        cli(reattach, "apply", "--config", config.toString(), desired + "-plan.json");
        assertThat(plugin.isAlive()).as("the attached plugin still runs after " + desired).isTrue();
      }
      assertThat(world.resolve("a.txt")).hasContent("one");
      assertThat(world.resolve("b.txt")).hasContent("two");
    } finally {
      plugin.destroyForcibly();
      plugin.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static String firstLine(BufferedReader reader) {
    try {
      return reader.readLine();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Runs {@code compensa ARGS} in a child JVM in {@link #dir}, attaching; fails unless it exits 0.
   */
  private void cli(String reattach, String... args) throws Exception {
    ChildCli.Result result =
        new ChildCli(dir, Map.of("COMPENSA_REATTACH_PLUGINS", reattach)).run(args);
    assertThat(result.exitCode())
        .as("compensa " + String.join(" ", args) + ":\n" + result.output())
        .isZero();
  }
}
