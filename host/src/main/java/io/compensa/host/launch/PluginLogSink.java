package io.compensa.host.launch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Where a plugin's output lines go: the host's SLF4J logger {@code plugin.<name>}. Each line
 * becomes a {@link PluginLogLine}: go-plugin JSON lines keep their level and fields (as SLF4J
 * key/value pairs), other lines are mapped by their {@code [LEVEL]} prefix. After a line that
 * starts a Go panic or a Java uncaught exception, the untagged lines that follow are logged at
 * ERROR, since they are its stack trace. One sink per stream (stderr, or a GRPCStdio channel); not
 * thread-safe: one reader thread feeds it.
 */
final class PluginLogSink {
  private final Logger log;
  private boolean inCrashReport;

  PluginLogSink(String pluginName) {
    this.log = LoggerFactory.getLogger("plugin." + pluginName);
  }

  /** Logs one line (without its line break). */
  void log(String line) {
    PluginLogLine record = PluginLogLine.parse(line);
    Level level = record.level();
    if (startsCrashReport(line)) {
      inCrashReport = true;
    }
    if (inCrashReport && record.fields().isEmpty() && level == Level.INFO) {
      level = Level.ERROR;
    }
    LoggingEventBuilder event = log.atLevel(level).setMessage(record.message());
    // a Java plugin's exception (the SDK writes it as "error", its description, and "stacktrace")
    // is for the plugin's author: the operator reads the driver's message, and sees the rest with
    // --verbose (the plugin's logger at DEBUG)
    boolean throwable = record.fields().containsKey("stacktrace");
    boolean verbose = log.isDebugEnabled();
    record
        .fields()
        .forEach(
            (key, value) -> {
              if (verbose || !throwable || !(key.equals("stacktrace") || key.equals("error"))) {
                event.addKeyValue(key, value);
              }
            });
    event.log();
  }

  /** Logs, at DEBUG, something about the stream itself rather than a line of it. */
  void debug(String format, Object... arguments) {
    log.debug(format, arguments);
  }

  private static boolean startsCrashReport(String line) {
    return line.startsWith("panic: ")
        || line.startsWith("fatal error: ")
        || line.startsWith("Exception in thread ");
  }
}
