package io.compensa.sdk.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * How many call handlers the event loop has handed to workers and not yet seen return, when it last
 * handed one over and when one last returned: what {@link BusyPollStrategy} needs to know whether
 * an answer, or the host's next call, is probably on its way. Thread-safe.
 */
public final class RunningHandlers {
  private final LongSupplier clock;
  private final AtomicInteger running = new AtomicInteger();
  private volatile long lastHandOffNanos;
  private volatile long lastReturnNanos;

  public RunningHandlers() {
    this(System::nanoTime);
  }

  /**
   * @param clock the time in nanoseconds, as {@link System#nanoTime()} gives it
   */
  RunningHandlers(LongSupplier clock) {
    this.clock = clock;
    this.lastReturnNanos = clock.getAsLong() - Long.MAX_VALUE / 2;
  }

  /** The time in nanoseconds by this object's clock. */
  long now() {
    return clock.getAsLong();
  }

  /** Called by the event loop as it hands a handler to a worker. */
  void handedOff() {
    lastHandOffNanos = clock.getAsLong();
    running.incrementAndGet();
  }

  /** Called by the worker once the handler has returned (or was never run). */
  void returned() {
    lastReturnNanos = clock.getAsLong();
    running.decrementAndGet();
  }

  /**
   * Whether a handler is running that was handed over less than {@code nanos} before {@code now}.
   */
  boolean runningSince(long now, long nanos) {
    return running.get() > 0 && now - lastHandOffNanos < nanos;
  }

  /** Whether a handler returned less than {@code nanos} before {@code now}. */
  boolean returnedWithin(long now, long nanos) {
    return now - lastReturnNanos < nanos;
  }
}
