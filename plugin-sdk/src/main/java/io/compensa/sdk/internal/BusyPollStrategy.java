package io.compensa.sdk.internal;

import io.compensa.protocol.PollWhileBusy;
import io.grpc.netty.shaded.io.netty.channel.SelectStrategy;
import io.grpc.netty.shaded.io.netty.channel.SelectStrategyFactory;
import io.grpc.netty.shaded.io.netty.util.IntSupplier;

/**
 * Keeps the event loop awake for a moment after it hands a call to a worker, and after an answer
 * goes out, so it sees the answer, or the host's next call, without being woken for it.
 *
 * <p>Netty's loop sleeps in {@code epoll_wait} whenever it has nothing to do; a worker that answers
 * a call then wakes it through an eventfd, and the host's next call through the socket. On a
 * virtual machine each wake-up costs ~20 µs (the sleeping CPU is halted and has to be interrupted),
 * a fifth of a driver call's round trip. So while a handler it handed over less than {@link
 * #POLL_NANOS} ago is still running, and for {@link #NEXT_CALL_NANOS} after a handler returns (a
 * host that calls one driver after another sends its next call within that time), the loop polls
 * its sockets without blocking and yields the CPU between polls, so that on a busy machine the
 * handler's thread, or the host, gets the CPU first. A driver that takes longer (one that calls a
 * cloud API) costs the loop at most that long a poll; after it the loop sleeps as before, as it
 * does when no call has come for a while.
 *
 * <p>One instance per event loop; used only by that loop's thread.
 */
public final class BusyPollStrategy implements SelectStrategy {
  /** How long after a hand-off the loop polls instead of sleeping. */
  static final long POLL_NANOS = 50_000;

  /** How long after a handler returns the loop polls for the next call instead of sleeping. */
  static final long NEXT_CALL_NANOS = 100_000;

  private final RunningHandlers handlers;
  private final long pollNanos;
  private final long nextCallNanos;
  private final PollWhileBusy strategy;

  /**
   * @param pollNanos how long after a hand-off the loop polls for the answer
   * @param nextCallNanos how long after a handler returns the loop polls for the next call
   */
  BusyPollStrategy(RunningHandlers handlers, long pollNanos, long nextCallNanos) {
    this.handlers = handlers;
    this.pollNanos = pollNanos;
    this.nextCallNanos = nextCallNanos;
    this.strategy = new PollWhileBusy(this::busy);
  }

  /** A factory giving every event loop of a group a strategy that watches {@code handlers}. */
  public static SelectStrategyFactory factory(RunningHandlers handlers) {
    return () -> new BusyPollStrategy(handlers, POLL_NANOS, NEXT_CALL_NANOS);
  }

  @Override
  public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
    return strategy.calculateStrategy(selectNow, hasTasks);
  }

  private boolean busy() {
    long now = handlers.now();
    return handlers.runningSince(now, pollNanos) || handlers.returnedWithin(now, nextCallNanos);
  }
}
