package io.compensa.sdk.internal.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * Formats one log line as go-plugin's host parses it: a JSON object with {@code @level},
 * {@code @message}, {@code @module}, {@code @timestamp}, and the event's key/value pairs as further
 * fields.
 *
 * <p>Stateless and thread-safe.
 */
public final class HclogLine {

  private HclogLine() {}

  /**
   * Returns the JSON line, without a line terminator.
   *
   * @param time when the event happened
   * @param level its level
   * @param module the plugin's name
   * @param message the formatted message
   * @param fields key/value pairs; numbers and booleans stay JSON numbers and booleans, anything
   *     else is written as its string form
   * @param error the exception the event carries, or null; written as {@code error} (its
   *     description) and {@code stacktrace}
   * @return the line
   */
  public static String format(
      Instant time,
      HclogLevel level,
      String module,
      String message,
      Map<String, ?> fields,
      Throwable error) {
    StringBuilder json = new StringBuilder(160);
    json.append('{');
    field(json, "@level", level.jsonName());
    json.append(',');
    field(json, "@message", message);
    json.append(',');
    field(json, "@module", module);
    json.append(',');
    field(json, "@timestamp", timestamp(time));
    for (Map.Entry<String, ?> entry : fields.entrySet()) {
      if (entry.getKey().startsWith("@")) {
        continue;
      }
      json.append(',');
      field(json, entry.getKey(), entry.getValue());
    }
    if (error != null) {
      json.append(',');
      field(json, "error", error.toString());
      json.append(',');
      StringWriter trace = new StringWriter();
      error.printStackTrace(new PrintWriter(trace));
      field(json, "stacktrace", trace.toString());
    }
    return json.append('}').toString();
  }

  /**
   * {@code time} as {@code yyyy-MM-ddTHH:mm:ss.SSSSSSZ} in UTC. Written by hand: a {@code
   * DateTimeFormatter} costs a plugin ~10 ms of class loading and pattern parsing at its first log
   * line, which comes while the host waits for the plugin's first reply.
   */
  static String timestamp(Instant time) {
    LocalDateTime utc = LocalDateTime.ofEpochSecond(time.getEpochSecond(), 0, ZoneOffset.UTC);
    StringBuilder text = new StringBuilder(27);
    int year = utc.getYear();
    if (year < 0 || year > 9999) {
      // outside four digits: the year as it is, so the line stays readable
      text.append(year);
    } else {
      digits(text, year, 4);
    }
    text.append('-');
    digits(text, utc.getMonthValue(), 2);
    text.append('-');
    digits(text, utc.getDayOfMonth(), 2);
    text.append('T');
    digits(text, utc.getHour(), 2);
    text.append(':');
    digits(text, utc.getMinute(), 2);
    text.append(':');
    digits(text, utc.getSecond(), 2);
    text.append('.');
    digits(text, time.getNano() / 1000, 6);
    return text.append('Z').toString();
  }

  private static void digits(StringBuilder text, int value, int width) {
    String number = Integer.toString(value);
    for (int pad = number.length(); pad < width; pad++) {
      text.append('0');
    }
    text.append(number);
  }

  private static void field(StringBuilder json, String key, Object value) {
    string(json, key);
    json.append(':');
    if (value == null) {
      json.append("null");
    } else if (value instanceof Boolean
        || value instanceof Integer
        || value instanceof Long
        || value instanceof Short
        || value instanceof Byte) {
      json.append(value);
    } else if (value instanceof Number number && Double.isFinite(number.doubleValue())) {
      json.append(number);
    } else {
      string(json, String.valueOf(value));
    }
  }

  private static void string(StringBuilder json, String text) {
    json.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          // escaping everything outside printable ASCII keeps the line intact whatever the
          // platform encoding of stderr is
          if (c < 0x20 || c > 0x7e) {
            json.append("\\u");
            String hex = Integer.toHexString(c);
            for (int pad = hex.length(); pad < 4; pad++) {
              json.append('0');
            }
            json.append(hex);
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }
}
