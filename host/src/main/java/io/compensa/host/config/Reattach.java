package io.compensa.host.config;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.compensa.protocol.HandshakeLine;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Attaching to plugins that already run (started in debug mode, under a debugger) instead of
 * launching them, in the spirit of Terraform's {@code TF_REATTACH_PROVIDERS}: the environment
 * variable {@value #ENVIRONMENT} holds a JSON object from configured plugin names to the handshake
 * line each plugin printed, for example {@code {"localfs": "1|1|unix|/tmp/x/plugin.sock|grpc"}};
 * the configuration key {@code plugins.NAME.reattach} does the same for one plugin. The variable
 * wins over the key. Stateless.
 */
public final class Reattach {
  /** The environment variable that names the plugins to attach to. */
  public static final String ENVIRONMENT = "COMPENSA_REATTACH_PLUGINS";

  private static final List<Integer> APP_VERSIONS = List.of(1);

  private Reattach() {}

  /**
   * Checks that {@code line} is a handshake line the host can attach to.
   *
   * @throws IllegalArgumentException saying what is wrong
   */
  public static void check(String line) {
    if (line.strip().split("\\|", -1).length > 5) {
      throw new IllegalArgumentException(
          "\""
              + line
              + "\" carries a certificate (AutoMTLS): a plugin to attach to must serve plaintext;"
              + " start it in debug mode, which never uses AutoMTLS");
    }
    HandshakeLine.parse(line, APP_VERSIONS);
  }

  /**
   * {@code config} with the plugins that {@value #ENVIRONMENT} ({@code value}, if set) names
   * attached to.
   *
   * @throws InvalidConfigException when the value is not a JSON object of strings, names a plugin
   *     the configuration does not declare, or holds a line the host cannot attach to
   */
  public static HostConfig apply(HostConfig config, String value) throws InvalidConfigException {
    if (value == null || value.isBlank()) {
      return config;
    }
    JsonObject entries;
    try {
      JsonElement parsed = JsonParser.parseString(value);
      if (!parsed.isJsonObject()) {
        throw new InvalidConfigException(
            ENVIRONMENT
                + " must be a JSON object from plugin names to handshake lines, like"
                + " {\"localfs\": \"1|1|unix|/tmp/x/plugin.sock|grpc\"}");
      }
      entries = parsed.getAsJsonObject();
    } catch (JsonParseException e) {
      throw new InvalidConfigException(ENVIRONMENT + " is not valid JSON: " + e.getMessage(), e);
    }
    Map<String, PluginEntry> plugins = new LinkedHashMap<>(config.plugins());
    for (Map.Entry<String, JsonElement> entry : entries.entrySet()) {
      String name = entry.getKey();
      PluginEntry plugin = plugins.get(name);
      if (plugin == null) {
        throw new InvalidConfigException(
            ENVIRONMENT
                + " names plugin \""
                + name
                + "\", which "
                + config.source()
                + " does not declare (it declares "
                + plugins.keySet()
                + ")");
      }
      JsonElement line = entry.getValue();
      if (!line.isJsonPrimitive() || !line.getAsJsonPrimitive().isString()) {
        throw new InvalidConfigException(
            ENVIRONMENT + ": the entry of \"" + name + "\" must be the handshake line, a string");
      }
      try {
        check(line.getAsString());
      } catch (IllegalArgumentException e) {
        throw new InvalidConfigException(
            ENVIRONMENT + ": the entry of \"" + name + "\": " + e.getMessage(), e);
      }
      plugins.put(name, plugin.withReattach(line.getAsString().strip()));
    }
    return new HostConfig(
        config.source(),
        config.stateFile(),
        config.secretsFile(),
        plugins,
        config.stateDatabase(),
        config.statePasswordFile(),
        config.secretsKeyFile());
  }
}
