package io.compensa.protocol;

import io.grpc.netty.shaded.io.netty.channel.SelectStrategy;
import io.grpc.netty.shaded.io.netty.util.IntSupplier;
import java.util.function.BooleanSupplier;

/**
 * How the event loop that carries calls between a host and a plugin waits, on both sides: while
 * {@code busy} says an answer or the next call is near, it polls its sockets and yields the CPU
 * instead of sleeping in the kernel, since on a VM a thread wake-up costs ~20 µs, a fifth of a
 * call; otherwise it sleeps as Netty's default strategy does. Each side says what "busy" means (the
 * host: calls in flight; the SDK: a handler running or just returned).
 *
 * <p>One instance per event loop; used only by that loop's thread.
 */
public final class PollWhileBusy implements SelectStrategy {
  private final BooleanSupplier busy;

  /** A strategy that polls while {@code busy} is true. */
  public PollWhileBusy(BooleanSupplier busy) {
    this.busy = busy;
  }

  @Override
  public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
    if (hasTasks) {
      return selectNow.get();
    }
    if (!busy.getAsBoolean()) {
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
