package io.compensa.sdk.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many call handlers the event loop has handed to workers and not yet seen return, when it last
 * handed one over and when one last returned: what {@link BusyPollStrategy} needs to know whether
 * an answer, or the host's next call, is probably on its way. Thread-safe.
 */
final class RunningHandlers {
  private final AtomicInteger running = new AtomicInteger();
  private volatile long lastHandOffNanos;
  private volatile long lastReturnNanos = System.nanoTime() - Long.MAX_VALUE / 2;

  /** Called by the event loop as it hands a handler to a worker. */
  void handedOff() {
    lastHandOffNanos = System.nanoTime();
    running.incrementAndGet();
  }

  /** Called by the worker once the handler has returned (or was never run). */
  void returned() {
    lastReturnNanos = System.nanoTime();
    running.decrementAndGet();
  }

  /** Whether a handler is running that was handed over less than {@code nanos} before {@code now}. */
  boolean runningSince(long now, long nanos) {
    return running.get() > 0 && now - lastHandOffNanos < nanos;
  }

  /** Whether a handler returned less than {@code nanos} before {@code now}. */
  boolean returnedWithin(long now, long nanos) {
    return now - lastReturnNanos < nanos;
  }
}
