package io.compensa.host.launch;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.event.Level;

/**
 * One line of a plugin's stderr, understood as a log record: level, message and fields.
 *
 * <p>A JSON object in go-plugin's (hclog's) format keeps its {@code @level} and {@code @message},
 * and its other keys become fields ({@code @timestamp} is dropped: the host's log has its own).
 * Other lines map a {@code [TRACE]}, {@code [DEBUG]}, {@code [INFO]}, {@code [WARN]} or {@code
 * [ERROR]} prefix to the level and are INFO without one.
 *
 * <p>Immutable and thread-safe.
 */
record PluginLogLine(Level level, String message, Map<String, String> fields) {
  private static final JsonFormat.Parser JSON = JsonFormat.parser();
  private static final JsonFormat.Printer COMPACT =
      JsonFormat.printer().omittingInsignificantWhitespace();

  static PluginLogLine parse(String line) {
    String trimmed = line.strip();
    if (trimmed.startsWith("{") && trimmed.endsWith("}")) {
      Struct.Builder json = Struct.newBuilder();
      try {
        JSON.merge(trimmed, json);
        if (json.containsFields("@message") || json.containsFields("@level")) {
          return fromJson(json.build());
        }
      } catch (InvalidProtocolBufferException notJson) {
        // a line that merely looks like JSON is logged as it is
      }
    }
    return plain(line);
  }

  private static PluginLogLine fromJson(Struct json) {
    Level level = Level.INFO;
    String message = "";
    Map<String, String> fields = new LinkedHashMap<>();
    for (Map.Entry<String, Value> field : json.getFieldsMap().entrySet()) {
      switch (field.getKey()) {
        case "@level" -> level = level(text(field.getValue()));
        case "@message" -> message = text(field.getValue());
        case "@timestamp" -> {}
        default -> fields.put(field.getKey(), text(field.getValue()));
      }
    }
    return new PluginLogLine(level, message, fields);
  }

  private static PluginLogLine plain(String line) {
    for (Level level : Level.values()) {
      String prefix = "[" + level.name() + "]";
      if (line.startsWith(prefix)) {
        return new PluginLogLine(level, line.substring(prefix.length()).strip(), Map.of());
      }
    }
    return new PluginLogLine(Level.INFO, line, Map.of());
  }

  private static Level level(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "trace" -> Level.TRACE;
      case "debug" -> Level.DEBUG;
      case "warn", "warning" -> Level.WARN;
      case "error", "fatal", "panic" -> Level.ERROR;
      default -> Level.INFO;
    };
  }

  private static String text(Value value) {
    switch (value.getKindCase()) {
      case STRING_VALUE:
        return value.getStringValue();
      case NUMBER_VALUE:
        double number = value.getNumberValue();
        return number == Math.rint(number) && Math.abs(number) < 1e15
            ? Long.toString((long) number)
            : Double.toString(number);
      case BOOL_VALUE:
        return Boolean.toString(value.getBoolValue());
      case NULL_VALUE:
        return "null";
      default:
        try {
          return COMPACT.print(value);
        } catch (InvalidProtocolBufferException e) {
          return value.toString();
        }
    }
  }
}
