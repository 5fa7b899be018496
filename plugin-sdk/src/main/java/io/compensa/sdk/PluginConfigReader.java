package io.compensa.sdk;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import io.compensa.protocol.LaunchEnvironment;
import io.compensa.sdk.internal.JsonValues;
import io.compensa.sdk.internal.StartupException;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the plugin's configuration from the JSON object in {@code COMPENSA_PLUGIN_CONFIG}.
 *
 * <p>Stateless and thread-safe.
 */
final class PluginConfigReader {

  /**
   * Configurations longer than this (in characters) are refused: a configuration is settings, not
   * data.
   */
  public static final int MAX_CHARS = 1024 * 1024;

  /** How deeply objects and arrays may nest, as protobuf's JSON parser allowed. */
  static final int MAX_DEPTH = 100;

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
          LaunchEnvironment.PLUGIN_CONFIG
              + " holds "
              + json.length()
              + " characters, over the "
              + MAX_CHARS
              + "-character limit: pass the plugin a path to its data instead");
    }
    if (!json.strip().startsWith("{")) {
      throw new StartupException(
          LaunchEnvironment.PLUGIN_CONFIG
              + " must hold a JSON object such as {\"root\": \"/srv/data\"}, but it starts"
              + " with "
              + abbreviate(json.strip())
              + ": fix the plugin configuration in the host");
    }
    try (JsonReader reader = new JsonReader(new StringReader(json))) {
      // what protobuf's JsonFormat accepted before: Gson's strict-as-of-old reading
      reader.setStrictness(Strictness.LEGACY_STRICT);
      Map<String, Object> values = readObject(reader, 1);
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        throw new IOException("more after the JSON object at " + reader.getPath());
      }
      // JsonValues refuses what JSON cannot hold, such as a number too large for a double
      return PluginConfig.of(JsonValues.copyObject(values));
    } catch (IOException | RuntimeException malformed) {
      throw new StartupException(
          LaunchEnvironment.PLUGIN_CONFIG
              + " is not a valid JSON object ("
              + malformed.getMessage()
              + "): fix the plugin configuration in the host",
          malformed);
    }
  }

  /*
   * Read with Gson's streaming reader, not protobuf's JsonFormat into a Struct: JsonFormat's first
   * use costs a plugin 20-40 ms of its start (its parser tables, Gson's type adapters, the
   * descriptors of the well-known types), and the configuration is read before the plugin can
   * answer its host. Numbers are doubles, as a Struct held them; a key given twice keeps its last
   * value.
   */

  private static Map<String, Object> readObject(JsonReader reader, int depth) throws IOException {
    Map<String, Object> object = new LinkedHashMap<>();
    reader.beginObject();
    while (reader.hasNext()) {
      String key = reader.nextName();
      object.put(key, readValue(reader, depth));
    }
    reader.endObject();
    return Collections.unmodifiableMap(object);
  }

  private static Object readValue(JsonReader reader, int depth) throws IOException {
    JsonToken token = reader.peek();
    if ((token == JsonToken.BEGIN_OBJECT || token == JsonToken.BEGIN_ARRAY) && depth >= MAX_DEPTH) {
      throw new IOException("nested deeper than " + MAX_DEPTH + " levels at " + reader.getPath());
    }
    switch (token) {
      case BEGIN_OBJECT:
        return readObject(reader, depth + 1);
      case BEGIN_ARRAY:
        List<Object> list = new ArrayList<>();
        reader.beginArray();
        while (reader.hasNext()) {
          list.add(readValue(reader, depth + 1));
        }
        reader.endArray();
        return Collections.unmodifiableList(list);
      case STRING:
        return reader.nextString();
      case NUMBER:
        return reader.nextDouble();
      case BOOLEAN:
        return reader.nextBoolean();
      case NULL:
        reader.nextNull();
        return null;
      default:
        throw new IOException("unexpected " + token + " at " + reader.getPath());
    }
  }

  private static String abbreviate(String text) {
    return "\"" + (text.length() > 20 ? text.substring(0, 20) + "..." : text) + "\"";
  }
}
