package io.compensa.sdk.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many call handlers the event loop has handed to workers and not yet seen return, and when it
 * last handed one over: what {@link BusyPollStrategy} needs to know whether an answer is on its way.
 * Thread-safe.
 */
final class RunningHandlers {
  private final AtomicInteger running = new AtomicInteger();
  private volatile long lastHandOffNanos;

  /** Called by the event loop as it hands a handler to a worker. */
  void handedOff() {
    lastHandOffNanos = System.nanoTime();
    running.incrementAndGet();
  }

  /** Called by the worker once the handler has returned (or was never run). */
  void returned() {
    running.decrementAndGet();
  }

  /** Whether a handler is running that was handed over less than {@code nanos} ago. */
  boolean runningSince(long now, long nanos) {
    return running.get() > 0 && now - lastHandOffNanos < nanos;
  }
}
