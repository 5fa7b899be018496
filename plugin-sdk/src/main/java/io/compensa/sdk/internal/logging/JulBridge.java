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

  /** JUL's system property naming a class whose constructor configures JUL. */
  static final String CONFIG_CLASS = "java.util.logging.config.class";

  /** JUL's system property naming its configuration file. */
  static final String CONFIG_FILE = "java.util.logging.config.file";

  /**
   * Replaces the root JUL logger's handlers with the bridge. Calling it again changes nothing.
   *
   * <p>Unless the operator configured JUL ({@value #CONFIG_CLASS} or {@value #CONFIG_FILE}), JUL is
   * told to run {@link Configuration} instead of reading the JDK's {@code logging.properties}: it
   * then makes no console handler that the bridge would only remove, a few milliseconds of every
   * plugin's start.
   */
  public static synchronized void install() {
    if (System.getProperty(CONFIG_CLASS) == null && System.getProperty(CONFIG_FILE) == null) {
      System.setProperty(CONFIG_CLASS, Configuration.class.getName());
    }
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
    HclogLevel level =
        record.getLevel().intValue() >= Level.SEVERE.intValue()
            ? HclogLevel.ERROR
            : HclogLevel.WARN;
    String message = record.getMessage();
    if (record.getParameters() != null && record.getParameters().length > 0 && message != null) {
      message = java.text.MessageFormat.format(message, record.getParameters());
    }
    String logger = record.getLoggerName() == null ? "" : record.getLoggerName();
    HclogOutput.write(
        level, message == null ? "" : message, Map.of("logger", logger), record.getThrown());
  }

  /**
   * JUL's configuration while the bridge is installed: none, since {@link #install()} sets up the
   * root logger itself. JUL makes an instance by reflection when it reads its configuration.
   */
  public static final class Configuration {
    /** Configures nothing. */
    public Configuration() {}
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
