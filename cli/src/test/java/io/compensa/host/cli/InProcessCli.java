package io.compensa.host.cli;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code compensa} command run in the test's JVM (its plugins are still real processes), with
 * what it prints captured per command; and the {@code compensa.json} the tests configure it with.
 */
final class InProcessCli {
  private static final Gson GSON = new Gson();

  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  /** Runs {@code compensa ARGS}; returns its exit code. */
  int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    return CompensaCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
        .execute(args);
  }

  /** What the last command wrote to stdout. */
  String out() {
    return out.toString();
  }

  /** What the last command wrote to stderr. */
  String err() {
    return err.toString();
  }

  /** A plugin entry: {@code command} with {@code config} as its configuration. */
  static JsonObject plugin(List<String> command, JsonObject config) {
    JsonObject plugin = new JsonObject();
    plugin.add("command", GSON.toJsonTree(command));
    plugin.add("config", config);
    return plugin;
  }

  /** A localfs configuration serving files under {@code root}. */
  static JsonObject localfsConfig(Path root) {
    JsonObject config = new JsonObject();
    config.addProperty("root", root.toString());
    return config;
  }

  /**
   * Writes {@code dir/compensa.json} with {@code state}, {@code secrets} (none when null) and one
   * plugin, {@code name}.
   */
  static Path writeConfig(Path dir, String state, String secrets, String name, JsonObject plugin)
      throws IOException {
    JsonObject plugins = new JsonObject();
    plugins.add(name, plugin);
    JsonObject top = new JsonObject();
    top.addProperty("state", state);
    if (secrets != null) {
      top.addProperty("secrets", secrets);
    }
    top.add("plugins", plugins);
    Path file = dir.resolve("compensa.json");
    Files.writeString(file, GSON.toJson(top));
    return file;
  }
}
