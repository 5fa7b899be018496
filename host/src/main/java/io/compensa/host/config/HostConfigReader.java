package io.compensa.host.config;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the host configuration file ({@code compensa.json}).
 *
 * <pre>{@code
 * {
 *   "state": "state/compensa-state.json",
 *   "secrets": "state/compensa-secrets.json",
 *   "state_password_file": "only with a PostgreSQL state: a file (mode 600) holding the password",
 *   "secrets_key_file": "optional: the team's secrets key (mode 600), see compensa secrets keygen",
 *   "plugins": {
 *     "localfs": {
 *       "command": ["../sample-plugins/localfs/bin/compensa-localfs"],
 *       "sha256": "optional hex digest of the executable",
 *       "config": {"root": "world"},
 *       "env": {"allow": ["PATH", "HOME"]},
 *       "start_timeout_seconds": 60,
 *       "call_timeout_seconds": 30
 *     }
 *   }
 * }
 * }</pre>
 *
 * <p>"state" is a file path, or a PostgreSQL URL ({@code postgresql://HOST[:PORT]/DB?state=NAME},
 * see docs/postgresql.md) whose password comes from the environment or "state_password_file", never
 * from this file's URL unmasked. Relative paths are resolved against the file's directory, where
 * plugins also run. "secrets_key_file" names the team's key that encrypts the secrets (the
 * environment may give it instead, see {@link io.compensa.host.secrets.SecretsKey}); it is required
 * to store secrets in a PostgreSQL state. Unknown keys are errors, so a misspelt setting is never
 * silently ignored. Stateless and thread-safe.
 */
public final class HostConfigReader {
  /** Configuration files larger than this are refused. */
  public static final long MAX_BYTES = 1024 * 1024;

  private static final Set<String> TOP_KEYS =
      Set.of("state", "secrets", "plugins", "state_password_file", "secrets_key_file");
  private static final Set<String> PLUGIN_KEYS =
      Set.of(
          "command",
          "sha256",
          "config",
          "env",
          "start_timeout_seconds",
          "call_timeout_seconds",
          "reattach");
  private static final Set<String> ENV_KEYS = Set.of("allow", "deny");

  private HostConfigReader() {}

  /**
   * Reads and checks {@code file}, attaching to the plugins the environment variable {@link
   * Reattach#ENVIRONMENT} names, if set.
   */
  public static HostConfig read(Path file) throws InvalidConfigException {
    return read(file, System.getenv(Reattach.ENVIRONMENT));
  }

  /**
   * Reads {@code file}, attaching to the plugins {@code reattach} names (the value of {@link
   * Reattach#ENVIRONMENT}; null or blank for none).
   */
  public static HostConfig read(Path file, String reattach) throws InvalidConfigException {
    return Reattach.apply(readFile(file), reattach);
  }

  private static HostConfig readFile(Path file) throws InvalidConfigException {
    String text;
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new InvalidConfigException(
            file + ": larger than " + MAX_BYTES + " bytes; is it the right file?");
      }
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new InvalidConfigException(
          "configuration file " + file + " does not exist (pass --config FILE)", e);
    } catch (IOException e) {
      throw new InvalidConfigException(
          "cannot read configuration file " + file + ": " + e.getMessage(), e);
    }
    return parse(text, file);
  }

  /** Parses {@code text} as if read from {@code file}. */
  public static HostConfig parse(String text, Path file) throws InvalidConfigException {
    JsonElement root;
    try {
      root = JsonParser.parseString(text);
    } catch (JsonParseException e) {
      throw new InvalidConfigException(file + ": not valid JSON: " + e.getMessage(), e);
    }
    Path dir = file.toAbsolutePath().getParent();
    JsonObject top = object(root, file, "the top level");
    unknownKeys(top, TOP_KEYS, file, "the top level");
    String stateSetting = string(top, "state", file, "state").orElse("compensa-state.json");
    Optional<String> database =
        Optional.of(stateSetting)
            .filter(s -> s.startsWith("postgresql://") || s.startsWith("postgres://"));
    Path state =
        path(dir, database.isPresent() ? "compensa-state.json" : stateSetting, file, "state");
    Optional<String> passwordSetting =
        string(top, "state_password_file", file, "state_password_file");
    Optional<Path> passwordFile =
        passwordSetting.isPresent()
            ? Optional.of(path(dir, passwordSetting.get(), file, "state_password_file"))
            : Optional.empty();
    if (passwordFile.isPresent() && database.isEmpty()) {
      throw new InvalidConfigException(
          file
              + ": \"state_password_file\" is only for a PostgreSQL \"state\""
              + " (postgresql://...)");
    }
    Path secrets =
        path(
            dir,
            string(top, "secrets", file, "secrets").orElse("compensa-secrets.json"),
            file,
            "secrets");
    Optional<Path> secretsKeyFile =
        string(top, "secrets_key_file", file, "secrets_key_file").map(dir::resolve);
    Map<String, PluginEntry> plugins = new LinkedHashMap<>();
    if (top.has("plugins")) {
      JsonObject all = object(top.get("plugins"), file, "plugins");
      for (Map.Entry<String, JsonElement> entry : all.entrySet()) {
        plugins.put(entry.getKey(), plugin(entry.getKey(), entry.getValue(), file, dir));
      }
    }
    return new HostConfig(
        file.toAbsolutePath(), state, secrets, plugins, database, passwordFile, secretsKeyFile);
  }

  private static PluginEntry plugin(String name, JsonElement element, Path file, Path dir)
      throws InvalidConfigException {
    String where = "plugins." + name;
    JsonObject plugin = object(element, file, where);
    unknownKeys(plugin, PLUGIN_KEYS, file, where);
    List<String> command = strings(plugin.get("command"), file, where + ".command");
    if (command.isEmpty()) {
      throw new InvalidConfigException(
          file + ": " + where + ".command must name the plugin's executable");
    }
    Optional<String> sha256 = string(plugin, "sha256", file, where + ".sha256");
    if (sha256.isPresent() && !sha256.get().matches("[0-9a-fA-F]{64}")) {
      throw new InvalidConfigException(
          file + ": " + where + ".sha256 must be 64 hex digits, got \"" + sha256.get() + "\"");
    }
    String configJson = "{}";
    if (plugin.has("config")) {
      configJson = object(plugin.get("config"), file, where + ".config").toString();
    }
    Optional<Set<String>> allow = Optional.empty();
    Set<String> deny = Set.of();
    if (plugin.has("env")) {
      JsonObject env = object(plugin.get("env"), file, where + ".env");
      unknownKeys(env, ENV_KEYS, file, where + ".env");
      if (env.has("allow")) {
        allow =
            Optional.of(new LinkedHashSet<>(strings(env.get("allow"), file, where + ".env.allow")));
      }
      if (env.has("allow") && env.has("deny")) {
        throw new InvalidConfigException(
            file + ": " + where + ".env takes \"allow\" or \"deny\", not both");
      }
      if (env.has("deny")) {
        deny = new LinkedHashSet<>(strings(env.get("deny"), file, where + ".env.deny"));
      }
    }
    Optional<String> reattach = string(plugin, "reattach", file, where + ".reattach");
    if (reattach.isPresent()) {
      try {
        Reattach.check(reattach.get());
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigException(file + ": " + where + ".reattach: " + e.getMessage(), e);
      }
    }
    return new PluginEntry(
        name,
        command,
        sha256,
        configJson,
        allow,
        deny,
        dir,
        seconds(plugin, "start_timeout_seconds", 60, file, where),
        seconds(plugin, "call_timeout_seconds", 30, file, where),
        reattach);
  }

  /**
   * {@code value} resolved against {@code dir}; a value that is no path (a NUL byte, say) is a
   * config error.
   */
  private static Path path(Path dir, String value, Path file, String where)
      throws InvalidConfigException {
    try {
      return dir.resolve(value);
    } catch (java.nio.file.InvalidPathException e) {
      throw new InvalidConfigException(
          file + ": " + where + " is not a usable path (" + e.getMessage() + ")", e);
    }
  }

  private static Duration seconds(
      JsonObject object, String key, int fallback, Path file, String where)
      throws InvalidConfigException {
    if (!object.has(key)) {
      return Duration.ofSeconds(fallback);
    }
    JsonElement value = object.get(key);
    if (!value.isJsonPrimitive()
        || !value.getAsJsonPrimitive().isNumber()
        || value.getAsDouble() <= 0
        || value.getAsDouble() > 86_400) {
      throw new InvalidConfigException(
          file
              + ": "
              + where
              + "."
              + key
              + " must be a number of seconds between 1 and 86400, got "
              + value);
    }
    return Duration.ofMillis((long) (value.getAsDouble() * 1000));
  }

  private static JsonObject object(JsonElement element, Path file, String where)
      throws InvalidConfigException {
    if (element == null || !element.isJsonObject()) {
      throw new InvalidConfigException(
          file + ": " + where + " must be a JSON object, got " + kind(element));
    }
    return element.getAsJsonObject();
  }

  private static Optional<String> string(JsonObject object, String key, Path file, String where)
      throws InvalidConfigException {
    if (!object.has(key)) {
      return Optional.empty();
    }
    JsonElement value = object.get(key);
    if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
      throw new InvalidConfigException(
          file + ": " + where + " must be a string, got " + kind(value));
    }
    return Optional.of(value.getAsString());
  }

  private static List<String> strings(JsonElement element, Path file, String where)
      throws InvalidConfigException {
    if (element == null || !element.isJsonArray()) {
      throw new InvalidConfigException(
          file + ": " + where + " must be a list of strings, got " + kind(element));
    }
    List<String> out = new ArrayList<>();
    JsonArray array = element.getAsJsonArray();
    for (int i = 0; i < array.size(); i++) {
      JsonElement item = array.get(i);
      if (!item.isJsonPrimitive() || !((JsonPrimitive) item).isString()) {
        throw new InvalidConfigException(
            file + ": " + where + "[" + i + "] must be a string, got " + kind(item));
      }
      out.add(item.getAsString());
    }
    return out;
  }

  private static void unknownKeys(JsonObject object, Set<String> known, Path file, String where)
      throws InvalidConfigException {
    for (String key : object.keySet()) {
      if (!known.contains(key)) {
        throw new InvalidConfigException(
            file
                + ": unknown setting \""
                + key
                + "\" in "
                + where
                + " (known: "
                + String.join(", ", new java.util.TreeSet<>(known))
                + ")");
      }
    }
  }

  private static String kind(JsonElement element) {
    if (element == null || element.isJsonNull()) {
      return "nothing";
    }
    if (element.isJsonObject()) {
      return "an object";
    }
    if (element.isJsonArray()) {
      return "a list";
    }
    JsonPrimitive primitive = element.getAsJsonPrimitive();
    return primitive.isString()
        ? "the string \"" + primitive.getAsString() + "\""
        : primitive.toString();
  }
}
