package io.compensa.sdk.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import io.compensa.sdk.PluginConfig;

/**
 * Reads the plugin's configuration from the JSON object in {@code COMPENSA_PLUGIN_CONFIG}.
 *
 * <p>Stateless and thread-safe.
 */
public final class PluginConfigReader {

  /** The environment variable holding the configuration, a JSON object as inline text. */
  public static final String VARIABLE = "COMPENSA_PLUGIN_CONFIG";

  /** Configurations longer than this (in characters) are refused: a configuration is settings, not data. */
  public static final int MAX_CHARS = 1024 * 1024;

  private PluginConfigReader() {}

  /**
   * Returns the configuration a JSON text holds.
   *
   * @param json the variable's value; null or blank means no configuration
   * @return the configuration
   * @throws StartupException when the text is not a JSON object
   */
  public static PluginConfig read(String json) throws StartupException {
    if (json == null || json.isBlank()) {
      return PluginConfig.empty();
    }
    if (json.length() > MAX_CHARS) {
      throw new StartupException(
          VARIABLE + " holds " + json.length() + " characters, over the " + MAX_CHARS
              + "-character limit: pass the plugin a path to its data instead");
    }
    if (!json.strip().startsWith("{")) {
      throw new StartupException(
          VARIABLE + " must hold a JSON object such as {\"root\": \"/srv/data\"}, but it starts"
              + " with " + abbreviate(json.strip()) + ": fix the plugin configuration in the host");
    }
    Struct.Builder struct = Struct.newBuilder();
    try {
      JsonFormat.parser().merge(json, struct);
      // inside the try: a number too large for a double (1e999999999) parses as Infinity, which
      // the conversion refuses with IllegalArgumentException
      return PluginConfig.of(StructCodec.toMap(struct.build()));
    } catch (InvalidProtocolBufferException | RuntimeException malformed) {
      throw new StartupException(
          VARIABLE + " is not a valid JSON object (" + malformed.getMessage()
              + "): fix the plugin configuration in the host", malformed);
    }
  }

  private static String abbreviate(String text) {
    return "\"" + (text.length() > 20 ? text.substring(0, 20) + "..." : text) + "\"";
  }
}
