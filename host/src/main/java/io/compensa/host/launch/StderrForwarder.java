package io.compensa.host.launch;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Forwards a plugin's stderr, line by line, into the host's SLF4J logger {@code plugin.<name>}.
 *
 * <p>Runs on a daemon thread of its own until the stream ends. Each line becomes a {@link
 * PluginLogLine}: go-plugin JSON lines keep their level and fields (as SLF4J key/value pairs),
 * other lines are mapped by their {@code [LEVEL]} prefix. After a line that starts a Go panic or a
 * Java uncaught exception, the untagged lines that follow are logged at ERROR, since they are its
 * stack trace. The last lines are kept in a {@link StderrTail} for error messages.
 *
 * <p>Thread-safe: {@link #tail()} and {@link #awaitEnd} may be called from any thread.
 */
final class StderrForwarder {
  private final Logger log;
  private final InputStream stderr;
  private final StderrTail tail;
  private final CountDownLatch ended = new CountDownLatch(1);
  private final String threadName;
  private boolean inCrashReport;

  StderrForwarder(String pluginName, InputStream stderr, int tailLines) {
    this.log = LoggerFactory.getLogger("plugin." + pluginName);
    this.stderr = stderr;
    this.tail = new StderrTail(tailLines);
    this.threadName = "compensa-plugin-" + pluginName + "-stderr";
  }

  /** Starts reading on one of the {@link StreamThreads}. */
  void start() {
    StreamThreads.run(threadName, this::forward);
  }

  /** The last lines read, oldest first. */
  List<String> tail() {
    return tail.lines();
  }

  /** Waits up to {@code timeout} for the stream to end; true when it has. */
  boolean awaitEnd(Duration timeout) {
    try {
      return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void forward() {
    try {
      BoundedLineReader reader = new BoundedLineReader(stderr, BoundedLineReader.DEFAULT_MAX_LINE);
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        tail.add(line);
        log(line);
      }
    } catch (IOException e) {
      log.debug("stopped reading the plugin's stderr: {}", e.toString());
    } finally {
      ended.countDown();
    }
  }

  private void log(String line) {
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

  private static boolean startsCrashReport(String line) {
    return line.startsWith("panic: ")
        || line.startsWith("fatal error: ")
        || line.startsWith("Exception in thread ");
  }
}
