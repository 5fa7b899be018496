package io.compensa.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.compensa.host.testing.ChildCli;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Debug mode and reattach in every language: each sample started by hand with
 * COMPENSA_PLUGIN_DEBUG=1 prints the line to paste; {@code compensa} (a child JVM, with that line
 * in COMPENSA_REATTACH_PLUGINS) attaches to it instead of launching the configured command (which
 * does not exist here), and two plan-and-apply rounds succeed against the same, still running
 * process.
 */
@DisplayName("compensa apply attaches to a plugin in debug mode, in Java, Go, Python and Node.js")
class ReattachAcrossLanguagesTest {
  private static final String PREFIX = "export COMPENSA_REATTACH_PLUGINS='";

  @TempDir Path dir;

  /** The samples: launcher, name, and two desired resources of theirs. */
  enum Sample {
    JAVA_LOCALFS(
        Interop.LOCALFS_PLUGIN,
        "localfs",
        "{\"name\": \"%s\", \"type\": \"localfs_file\", \"config\": {\"path\": \"%s.txt\", \"content\": \"hi\"}}") {
      @Override
      void require() {
        Interop.require(
            Interop.LOCALFS_JAR, false, "the localfs plugin's jar", "interop/build.sh java");
      }
    },
    GO_KV(
        Interop.GO_PLUGIN,
        "go-kv",
        "{\"name\": \"%s\", \"type\": \"gokv_entry\", \"config\": {\"key\": \"%s\", \"value\": \"hi\"}}") {
      @Override
      void require() {
        Interop.requireGoPlugin();
      }
    },
    PYTHON_NOTES(
        Interop.PYTHON_PLUGIN,
        "python-notes",
        "{\"name\": \"%s\", \"type\": \"pynotes_note\", \"config\": {\"title\": \"%s\", \"body\": \"hi\"}}") {
      @Override
      void require() {
        Interop.requirePythonPlugin();
      }
    },
    NODE_TASKS(
        Interop.NODE_PLUGIN,
        "node-tasks",
        "{\"name\": \"%s\", \"type\": \"nodetasks_task\", \"config\": {\"title\": \"%s\", \"done\": false}}") {
      @Override
      void require() {
        Interop.requireNodePlugin();
      }
    };

    final Path launcher;
    final String name;
    final String resource;

    Sample(Path launcher, String name, String resource) {
      this.launcher = launcher;
      this.name = name;
      this.resource = resource;
    }

    abstract void require();

    String resource(String name) {
      return String.format(resource, name, name);
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Sample.class)
  void twoAppliesAgainstAPluginInDebugModeSucceedAndLeaveTheSameProcessRunning(Sample sample)
      throws Exception {
    sample.require();
    Path world = Files.createDirectories(dir.resolve("world"));
    ProcessBuilder debug =
        new ProcessBuilder(sample.launcher.toString())
            .redirectError(dir.resolve("plugin.log").toFile());
    debug.environment().put("COMPENSA_PLUGIN_DEBUG", "1");
    debug.environment().put("COMPENSA_PLUGIN_CONFIG", Interop.rootConfig(world));
    debug.environment().remove(Interop.COOKIE_KEY);
    Process plugin = debug.start();
    try {
      BufferedReader stdout =
          new BufferedReader(
              new InputStreamReader(plugin.getInputStream(), StandardCharsets.UTF_8));
      String line =
          CompletableFuture.supplyAsync(() -> firstLine(stdout)).get(60, TimeUnit.SECONDS);
      assertThat(line).as("the line to paste").startsWith(PREFIX).endsWith("'");
      String reattach = line.substring(PREFIX.length(), line.length() - 1);
      JsonObject entries = JsonParser.parseString(reattach).getAsJsonObject();
      assertThat(entries.get(sample.name).getAsString()).startsWith("1|1|unix|").endsWith("|grpc");

      Path config = dir.resolve("compensa.json");
      Files.writeString(
          config,
          "{\"state\": \"state.json\", \"plugins\": {\""
              + sample.name
              + "\": {\"command\": [\""
              + dir.resolve("never-launched")
              + "\"]}}}");
      Files.writeString(
          dir.resolve("one.json"), "{\"resources\": [" + sample.resource("first") + "]}");
      Files.writeString(
          dir.resolve("two.json"),
          "{\"resources\": [" + sample.resource("first") + ", " + sample.resource("second") + "]}");

      for (String round : List.of("one", "two")) {
        cli(
            reattach,
            "plan",
            "--config",
            config.toString(),
            "-o",
            round + "-plan.json",
            round + ".json");
        cli(reattach, "apply", "--config", config.toString(), round + "-plan.json");
        assertThat(plugin.isAlive()).as("the attached plugin still runs after " + round).isTrue();
      }
      cli(reattach, "state", "list", "--config", config.toString());
      assertThat(lastOutput).contains("first").contains("second");
    } finally {
      plugin.destroyForcibly();
      plugin.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private String lastOutput = "";

  private static String firstLine(BufferedReader reader) {
    try {
      return reader.readLine();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Runs {@code compensa ARGS} in a child JVM in {@link #dir}; fails unless it exits 0. */
  private void cli(String reattach, String... args) throws Exception {
    ChildCli.Result result =
        new ChildCli(dir, Map.of("COMPENSA_REATTACH_PLUGINS", reattach)).run(args);
    lastOutput = result.output();
    assertThat(result.exitCode())
        .as("compensa " + String.join(" ", args) + ":\n" + lastOutput)
        .isZero();
  }
}
