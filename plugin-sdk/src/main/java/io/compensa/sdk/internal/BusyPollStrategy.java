package io.compensa.sdk.internal;

import io.grpc.netty.shaded.io.netty.channel.SelectStrategy;
import io.grpc.netty.shaded.io.netty.channel.SelectStrategyFactory;
import io.grpc.netty.shaded.io.netty.util.IntSupplier;

/**
 * Keeps the event loop awake for a moment after it hands a call to a worker, so it sees the answer
 * as soon as the handler writes it instead of being woken for it.
 *
 * <p>Netty's loop sleeps in {@code epoll_wait} whenever it has nothing to do, and a worker that
 * answers a call then wakes it through an eventfd. On a virtual machine that wake-up costs ~20 µs
 * (the sleeping CPU is halted and has to be interrupted), a fifth of a driver call's round trip.
 * While a handler it handed over less than {@link #POLL_NANOS} ago is still running, the loop
 * instead polls its sockets without blocking and yields the CPU between polls, so on a busy machine
 * the handler's thread gets the CPU first. A driver that takes longer (one that calls a cloud API)
 * costs the loop at most that long a poll; after it the loop sleeps as before.
 *
 * <p>One instance per event loop; used only by that loop's thread.
 */
final class BusyPollStrategy implements SelectStrategy {
  /** How long after a hand-off the loop polls instead of sleeping. */
  static final long POLL_NANOS = 50_000;

  private final RunningHandlers handlers;
  private final long pollNanos;

  /** @param pollNanos how long after a hand-off the loop polls instead of sleeping */
  BusyPollStrategy(RunningHandlers handlers, long pollNanos) {
    this.handlers = handlers;
    this.pollNanos = pollNanos;
  }

  /** A factory giving every event loop of a group a strategy that watches {@code handlers}. */
  static SelectStrategyFactory factory(RunningHandlers handlers) {
    return () -> new BusyPollStrategy(handlers, POLL_NANOS);
  }

  @Override
  public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
    if (hasTasks) {
      return selectNow.get();
    }
    if (!handlers.runningSince(System.nanoTime(), pollNanos)) {
      return SelectStrategy.SELECT;
    }
    int ready = selectNow.get();
    if (ready > 0) {
      return ready;
    }
    // not onSpinWait: on 2 busy cores a spinning loop would take the CPU from the very handler,
    // or the host, it waits for
    Thread.yield();
    return SelectStrategy.CONTINUE;
  }
}
