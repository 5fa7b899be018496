package io.compensa.host.launch;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The daemon threads that read plugins' stdout and stderr, shared by every plugin of the host.
 *
 * <p>Each plugin needs two readers for as long as it runs, since a blocking read of a pipe cannot
 * be multiplexed in Java. Starting a thread makes the starter wait until the new thread has come
 * up, about a millisecond each on a busy 2-core machine, and a launch is waited for: so a reader
 * whose plugin has ended goes back to this pool and serves the next launch instead. Idle readers
 * end after a minute. While it reads, a thread carries the name of its plugin and stream, so a
 * thread dump still says whose output it is.
 *
 * <p>A launch's other work that it need not wait for (removing the plugin's socket directory once
 * connected, remembering its child processes) runs on these threads too.
 *
 * <p>Thread-safe.
 */
final class StreamThreads {
  private static final String IDLE_NAME = "compensa-plugin-io-idle";
  private static final AtomicInteger COUNT = new AtomicInteger();
  private static final StreamThreads SHARED = new StreamThreads();

  private final ExecutorService pool =
      new ThreadPoolExecutor(
          0,
          Integer.MAX_VALUE,
          60,
          TimeUnit.SECONDS,
          new SynchronousQueue<>(),
          task -> {
            Thread thread = new Thread(task, IDLE_NAME + "-" + COUNT.incrementAndGet());
            thread.setDaemon(true);
            return thread;
          });

  /** A pool of its own; the host uses the one shared pool, through {@link #run}. */
  StreamThreads() {}

  /**
   * Runs {@code reader} on a pooled daemon thread of the shared pool, named {@code name} while it
   * runs.
   */
  static void run(String name, Runnable reader) {
    SHARED.execute(name, reader);
  }

  /** Runs {@code reader} on a daemon thread of this pool, named {@code name} while it runs. */
  void execute(String name, Runnable reader) {
    pool.execute(
        () -> {
          Thread current = Thread.currentThread();
          String idle = current.getName();
          current.setName(name);
          try {
            reader.run();
          } finally {
            current.setName(idle);
          }
        });
  }
}
