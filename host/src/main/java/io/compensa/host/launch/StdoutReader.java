package io.compensa.host.launch;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a plugin's stdout on a daemon thread of the {@link StreamThreads} and hands the lines to
 * the launcher.
 *
 * <p>A blocking read cannot be interrupted, so the launcher never reads stdout itself: it polls
 * this reader's queue with a timeout and stays in charge of the start deadline. Once the handshake
 * has arrived, {@link #handOff()} switches the reader to logging further lines at DEBUG, so the
 * pipe keeps draining and the plugin never blocks on a full pipe.
 *
 * <p>Thread-safe.
 */
final class StdoutReader {
  /** What {@link #poll} returns once stdout has ended. */
  static final String END = "\u0000end of stdout\u0000";

  private final Logger log;
  private final InputStream stdout;
  private final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
  private final Object handOffLock = new Object();
  private boolean handedOff;
  private final String threadName;

  StdoutReader(String pluginName, InputStream stdout) {
    this.log = LoggerFactory.getLogger("plugin." + pluginName);
    this.stdout = stdout;
    this.threadName = "compensa-plugin-" + pluginName + "-stdout";
  }

  /** Starts reading on one of the {@link StreamThreads}. */
  void start() {
    StreamThreads.run(threadName, this::read);
  }

  /** The next line, {@link #END} when stdout has ended, or {@code null} after {@code timeout}. */
  String poll(Duration timeout) throws InterruptedException {
    return queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Logs every further line at DEBUG instead of queueing it. */
  void handOff() {
    synchronized (handOffLock) {
      handedOff = true;
      for (String line = queue.poll(); line != null; line = queue.poll()) {
        logAfterHandshake(line);
      }
    }
  }

  private void read() {
    try {
      BoundedLineReader reader = new BoundedLineReader(stdout, BoundedLineReader.DEFAULT_MAX_LINE);
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        deliver(line);
      }
    } catch (IOException e) {
      log.debug("stopped reading the plugin's stdout: {}", e.toString());
    } finally {
      deliver(END);
    }
  }

  private void deliver(String line) {
    synchronized (handOffLock) {
      if (handedOff) {
        logAfterHandshake(line);
      } else {
        queue.add(line);
      }
    }
  }

  private void logAfterHandshake(String line) {
    if (line != END) {
      log.debug("stdout: {}", line);
    }
  }
}
