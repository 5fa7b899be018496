package io.compensa.sdk.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The worker pool, with one worker that waits a moment for the next call before it goes back to
 * the pool.
 *
 * <p>A pool's idle worker sleeps, and the event loop that hands it a call has to wake it: ~20 µs on
 * a virtual machine, where the sleeping CPU is halted. Here a worker that has finished a handler
 * first offers itself in a slot for up to {@link #LINGER_NANOS}, polling and yielding the CPU; a
 * call handed over meanwhile goes straight to it, without a wake-up. A host that calls one driver
 * after another (an apply's sequence of actions, a refresh) sends its next call within that time.
 * Only one worker lingers at a time, so the waiting costs at most one thread's polling; every other
 * worker, and every call that finds no worker in the slot, goes through the pool as before, so a
 * driver that blocks still holds up no other call.
 *
 * <p>Thread-safe.
 */
final class LingeringWorkers implements Executor {
  /** How long a worker that has finished a handler waits for the next before it sleeps. */
  static final long LINGER_NANOS = 100_000;

  /** The slot's value while a worker waits in it. */
  private static final Runnable WAITING = () -> { };

  private final ExecutorService pool;
  private final long lingerNanos;
  /** Empty ({@code null}), {@link #WAITING}, or a task handed to the waiting worker. */
  private final AtomicReference<Runnable> slot = new AtomicReference<>();

  /** @param pool where tasks run that find no waiting worker; its shutdown rejects every task */
  LingeringWorkers(ExecutorService pool) {
    this(pool, LINGER_NANOS);
  }

  /** @param lingerNanos how long a worker that has finished a task waits for the next */
  LingeringWorkers(ExecutorService pool, long lingerNanos) {
    this.pool = pool;
    this.lingerNanos = lingerNanos;
  }

  /** Whether a worker waits in the slot right now. */
  boolean lingering() {
    return slot.get() == WAITING;
  }

  @Override
  public void execute(Runnable task) {
    if (pool.isShutdown()) {
      throw new RejectedExecutionException("the worker pool is shut down");
    }
    if (slot.get() == WAITING && slot.compareAndSet(WAITING, task)) {
      return;
    }
    pool.execute(() -> runThenLinger(task));
  }

  private void runThenLinger(Runnable first) {
    for (Runnable task = first; task != null; task = linger()) {
      task.run();
    }
  }

  /** Waits in the slot for a task, or returns {@code null} when the slot was taken or time is up. */
  private Runnable linger() {
    if (!slot.compareAndSet(null, WAITING)) {
      return null;
    }
    long start = System.nanoTime();
    while (System.nanoTime() - start < lingerNanos && !Thread.currentThread().isInterrupted()) {
      Runnable handed = slot.get();
      if (handed != WAITING) {
        slot.set(null);
        return handed;
      }
      // not onSpinWait: on 2 busy cores a spinning worker would take the CPU from the event loop
      Thread.yield();
    }
    if (slot.compareAndSet(WAITING, null)) {
      return null;
    }
    // a task arrived as the wait ended
    Runnable handed = slot.get();
    slot.set(null);
    return handed;
  }
}
