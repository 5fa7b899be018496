package io.compensa.host.journal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Forces of one append-only file, grouped across threads: each thread numbers its record as it
 * appends it and asks for that number to be durable; one thread at a time forces the file, which
 * makes every record appended before the force began durable at once.
 *
 * <p>The threads that ask while a force runs wait for it to end and are then all woken at once, not
 * one after another as threads queued on a lock are: with the 16 threads of a parallel apply, each
 * woken in turn by the one before it, the wake-ups took longer than the force (an apply of 10,000
 * actions ran at ~5,000 actions/s instead of ~11,000). Those whose record the force covered go on;
 * the others choose the next thread to force. A force that fails throws in the thread that ran it,
 * and every waiting thread whose record it did not cover tries again itself.
 *
 * <p>The file journal groups its forces with it, the PostgreSQL store its journal commits, and the
 * apply engine its whole-state writes when there is no journal; {@code E} is what a force throws.
 * Thread-safe.
 */
public final class GroupedForce<E extends Exception> {
  /** Forces the file: everything appended before the call is on disk when it returns. */
  @FunctionalInterface
  public interface Force<E extends Exception> {
    /** Forces the file. */
    void force() throws E;
  }

  private final Force<E> force;
  private final LongSupplier appendedSoFar;
  private final Object lock = new Object();

  /** Every record numbered up to this is durable. */
  private volatile long durable;

  /** Whether a thread is forcing the file now; guarded by {@code lock}. */
  private boolean forcing;

  /** The threads waiting for the force in progress to end; guarded by {@code lock}. */
  private List<Waiter> waiting = new ArrayList<>();

  /**
   * @param force forces the file
   * @param appendedSoFar the number of the last record appended; records are numbered from 1 in the
   *     order they are written
   */
  public GroupedForce(Force<E> force, LongSupplier appendedSoFar) {
    this.force = force;
    this.appendedSoFar = appendedSoFar;
  }

  /**
   * Returns once record {@code number} is durable, forcing the file if no other thread does. An
   * interrupt that comes while the thread waits for another's force is kept for when it returns,
   * not left set while it may force the file itself (an interrupted force closes a FileChannel).
   */
  public void awaitDurable(long number) throws E {
    boolean interrupted = false;
    try {
      while (durable < number) {
        Waiter waiter = null;
        synchronized (lock) {
          if (durable >= number) {
            return;
          }
          if (forcing) {
            waiter = new Waiter(Thread.currentThread());
            waiting.add(waiter);
          } else {
            forcing = true;
          }
        }
        if (waiter == null) {
          forceNow();
        } else {
          interrupted |= waiter.await();
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The number of the last record known to be durable. */
  public long durable() {
    return durable;
  }

  private void forceNow() throws E {
    List<Waiter> ended;
    try {
      long covered = appendedSoFar.getAsLong();
      force.force();
      durable = Math.max(durable, covered);
    } finally {
      synchronized (lock) {
        forcing = false;
        ended = waiting;
        waiting = new ArrayList<>();
      }
      for (Waiter waiter : ended) {
        waiter.release();
      }
    }
  }

  /** A thread waiting for the force in progress to end. */
  private static final class Waiter {
    private final Thread thread;
    private volatile boolean released;

    Waiter(Thread thread) {
      this.thread = thread;
    }

    void release() {
      released = true;
      LockSupport.unpark(thread);
    }

    /**
     * Waits for {@link #release}, as a wait for a lock does, through interrupts; returns whether
     * one came (its flag is then cleared).
     */
    boolean await() {
      boolean interrupted = false;
      while (!released) {
        LockSupport.park(this);
        if (Thread.interrupted()) {
          interrupted = true;
        }
      }
      return interrupted;
    }
  }
}
