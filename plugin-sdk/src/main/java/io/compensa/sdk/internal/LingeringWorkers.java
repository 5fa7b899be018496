package io.compensa.sdk.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongSupplier;

/**
 * The worker pool, whose workers wait a moment for the next call before they go back to the pool.
 *
 * <p>A pool's idle worker sleeps, and the event loop that hands it a call has to wake it: ~20 µs on
 * a virtual machine, where the sleeping CPU is halted. Here a worker that has finished a handler
 * first offers itself in one of {@link #SLOTS} slots for up to {@link #LINGER_NANOS}, polling and
 * yielding the CPU; a call handed over meanwhile goes straight to it, without a wake-up. A host
 * that calls one driver after another (an apply's sequence of actions, a refresh) sends its next
 * call within that time. At most {@link #SLOTS} workers wait at once; every other worker, and every
 * call that finds no worker waiting, goes through the pool as before, so a driver that blocks still
 * holds up no other call.
 *
 * <p>Thread-safe.
 */
public final class LingeringWorkers implements Executor {
  /** How long a worker that has finished a handler waits for the next before it sleeps. */
  static final long LINGER_NANOS = 100_000;

  /**
   * How many workers may wait at once. Calls from a host's concurrent callers arrive in bursts;
   * with one waiting worker the rest of a burst woke pool workers (8 callers against localfs: 30.5k
   * calls/s with one slot, 32.5k with four, the same with eight).
   */
  static final int SLOTS = 4;

  /** The slot's value while a worker waits in it. */
  private static final Runnable WAITING = () -> {};

  private final ExecutorService pool;
  private final long lingerNanos;
  private final LongSupplier clock;

  /** Empty ({@code null}), {@link #WAITING}, or a task handed to the worker waiting there. */
  private final AtomicReferenceArray<Runnable> slots = new AtomicReferenceArray<>(SLOTS);

  /**
   * @param pool where tasks run that find no waiting worker; its shutdown rejects every task
   */
  public LingeringWorkers(ExecutorService pool) {
    this(pool, LINGER_NANOS);
  }

  /**
   * @param lingerNanos how long a worker that has finished a task waits for the next
   */
  LingeringWorkers(ExecutorService pool, long lingerNanos) {
    this(pool, lingerNanos, System::nanoTime);
  }

  /**
   * @param clock the time in nanoseconds, as {@link System#nanoTime()} gives it
   */
  LingeringWorkers(ExecutorService pool, long lingerNanos, LongSupplier clock) {
    this.pool = pool;
    this.lingerNanos = lingerNanos;
    this.clock = clock;
  }

  /** How many workers wait in a slot right now. */
  int lingering() {
    int waiting = 0;
    for (int i = 0; i < slots.length(); i++) {
      if (slots.get(i) == WAITING) {
        waiting++;
      }
    }
    return waiting;
  }

  @Override
  public void execute(Runnable task) {
    if (pool.isShutdown()) {
      throw new RejectedExecutionException("the worker pool is shut down");
    }
    for (int i = 0; i < slots.length(); i++) {
      if (slots.get(i) == WAITING && slots.compareAndSet(i, WAITING, task)) {
        return;
      }
    }
    pool.execute(() -> runThenLinger(task));
  }

  private void runThenLinger(Runnable first) {
    for (Runnable task = first; task != null; task = linger()) {
      task.run();
    }
  }

  /** Waits in a free slot for a task; {@code null} when every slot is taken or time is up. */
  private Runnable linger() {
    int slot = -1;
    for (int i = 0; i < slots.length() && slot < 0; i++) {
      if (slots.get(i) == null && slots.compareAndSet(i, null, WAITING)) {
        slot = i;
      }
    }
    if (slot < 0) {
      return null;
    }
    long start = clock.getAsLong();
    while (clock.getAsLong() - start < lingerNanos && !Thread.currentThread().isInterrupted()) {
      Runnable handed = slots.get(slot);
      if (handed != WAITING) {
        slots.set(slot, null);
        return handed;
      }
      // not onSpinWait: on 2 busy cores a spinning worker would take the CPU from the event loop
      Thread.yield();
    }
    if (slots.compareAndSet(slot, WAITING, null)) {
      return null;
    }
    // a task arrived as the wait ended
    Runnable handed = slots.get(slot);
    slots.set(slot, null);
    return handed;
  }
}
