package io.compensa.host.launch;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Forwards a plugin's stderr, line by line, into the host's SLF4J logger {@code plugin.<name>}
 * through a {@link PluginLogSink}.
 *
 * <p>Runs on a daemon thread of its own until the stream ends. The last lines are kept in a {@link
 * StderrTail} for error messages.
 *
 * <p>Thread-safe: {@link #tail()} and {@link #awaitEnd} may be called from any thread.
 */
final class StderrForwarder {
  private final PluginLogSink sink;
  private final InputStream stderr;
  private final StderrTail tail;
  private final CountDownLatch ended = new CountDownLatch(1);
  private final String threadName;

  StderrForwarder(String pluginName, InputStream stderr, int tailLines) {
    this.sink = new PluginLogSink(pluginName);
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
        sink.log(line);
      }
    } catch (IOException e) {
      sink.debug("stopped reading the plugin's stderr: {}", e.toString());
    } finally {
      ended.countDown();
    }
  }
}
