package io.compensa.sdk.internal.logging;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;
import org.slf4j.event.Level;
import org.slf4j.event.LoggingEvent;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.LoggingEventAware;

/**
 * An SLF4J logger that writes hclog JSON lines through {@link HclogOutput}.
 *
 * <p>Key/value pairs added with the fluent API ({@code log.atInfo().addKeyValue(k, v)}) become JSON
 * fields; the logger's name goes in the {@code logger} field. Thread-safe.
 */
final class HclogLogger extends LegacyAbstractLogger implements LoggingEventAware {

  private static final long serialVersionUID = 1L;

  HclogLogger(String name) {
    this.name = name;
  }

  @Override
  public boolean isTraceEnabled() {
    return HclogOutput.isEnabled(HclogLevel.TRACE);
  }

  @Override
  public boolean isDebugEnabled() {
    return HclogOutput.isEnabled(HclogLevel.DEBUG);
  }

  @Override
  public boolean isInfoEnabled() {
    return HclogOutput.isEnabled(HclogLevel.INFO);
  }

  @Override
  public boolean isWarnEnabled() {
    return HclogOutput.isEnabled(HclogLevel.WARN);
  }

  @Override
  public boolean isErrorEnabled() {
    return HclogOutput.isEnabled(HclogLevel.ERROR);
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  protected void handleNormalizedLoggingCall(
      Level level, Marker marker, String pattern, Object[] arguments, Throwable error) {
    HclogOutput.write(
        HclogLevel.of(level), format(pattern, arguments), Map.of("logger", name), error);
  }

  @Override
  public void log(LoggingEvent event) {
    HclogLevel level = HclogLevel.of(event.getLevel());
    if (!HclogOutput.isEnabled(level)) {
      return;
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("logger", name);
    if (event.getKeyValuePairs() != null) {
      for (KeyValuePair pair : event.getKeyValuePairs()) {
        fields.put(pair.key, pair.value);
      }
    }
    HclogOutput.write(
        level, format(event.getMessage(), event.getArgumentArray()), fields, event.getThrowable());
  }

  private static String format(String pattern, Object[] arguments) {
    if (arguments == null || arguments.length == 0) {
      return pattern == null ? "" : pattern;
    }
    return MessageFormatter.basicArrayFormat(pattern, arguments);
  }
}
