package io.compensa.sdk.internal.logging;

import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Routes {@code java.util.logging} (which grpc-java and Netty use) to the hclog JSON output, at
 * WARNING and above, so nothing in the plugin writes log lines in another format.
 *
 * <p>Thread-safe.
 */
public final class JulBridge extends Handler {

  private JulBridge() {}

  /** Replaces the root JUL logger's handlers with the bridge. Calling it again changes nothing. */
  public static synchronized void install() {
    Logger root = LogManager.getLogManager().getLogger("");
    for (Handler handler : root.getHandlers()) {
      if (handler instanceof JulBridge) {
        return;
      }
      root.removeHandler(handler);
    }
    JulBridge bridge = new JulBridge();
    bridge.setLevel(Level.WARNING);
    root.addHandler(bridge);
    root.setLevel(Level.WARNING);
  }

  @Override
  public void publish(LogRecord record) {
    if (!isLoggable(record)) {
      return;
    }
    HclogLevel level = record.getLevel().intValue() >= Level.SEVERE.intValue()
        ? HclogLevel.ERROR
        : HclogLevel.WARN;
    String message = record.getMessage();
    if (record.getParameters() != null && record.getParameters().length > 0 && message != null) {
      message = java.text.MessageFormat.format(message, record.getParameters());
    }
    String logger = record.getLoggerName() == null ? "" : record.getLoggerName();
    HclogOutput.write(level, message == null ? "" : message, Map.of("logger", logger),
        record.getThrown());
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
