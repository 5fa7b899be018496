package io.compensa.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.netty.shaded.io.netty.channel.SelectStrategy;
import io.grpc.netty.shaded.io.netty.util.IntSupplier;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** When the event loop polls for an answer and when it sleeps; time is a clock the test moves. */
class BusyPollStrategyTest {
  private static final long LONG_POLL = Duration.ofSeconds(30).toNanos();

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final RunningHandlers handlers = new RunningHandlers(now::get);
  private final AtomicInteger polls = new AtomicInteger();

  @Test
  void withNoHandlerRunningTheLoopSleepsWithoutPolling() throws Exception {
    BusyPollStrategy strategy = new BusyPollStrategy(handlers, LONG_POLL, LONG_POLL);

    assertThat(strategy.calculateStrategy(ready(0), false)).isEqualTo(SelectStrategy.SELECT);
    assertThat(polls).hasValue(0);
  }

  @Test
  void withTasksQueuedTheLoopPollsOnceAndRunsThem() throws Exception {
    BusyPollStrategy strategy = new BusyPollStrategy(handlers, LONG_POLL, LONG_POLL);

    assertThat(strategy.calculateStrategy(ready(2), true)).isEqualTo(2);
    assertThat(polls).hasValue(1);
  }

  @Test
  void whileAHandlerJustHandedOffRunsTheLoopPollsInsteadOfSleeping() throws Exception {
    BusyPollStrategy strategy = new BusyPollStrategy(handlers, LONG_POLL, LONG_POLL);
    handlers.handedOff();

    assertThat(strategy.calculateStrategy(ready(0), false)).isEqualTo(SelectStrategy.CONTINUE);
    assertThat(strategy.calculateStrategy(ready(3), false))
        .as("the sockets that are ready")
        .isEqualTo(3);
    assertThat(polls).hasValue(2);
  }

  @Test
  void afterAnAnswerTheLoopPollsForTheNextCallThenSleeps() throws Exception {
    BusyPollStrategy strategy =
        new BusyPollStrategy(handlers, LONG_POLL, Duration.ofMillis(1).toNanos());
    handlers.handedOff();
    handlers.returned();

    now.addAndGet(Duration.ofMillis(1).toNanos() - 1);
    assertThat(strategy.calculateStrategy(ready(0), false))
        .as("just inside the window")
        .isEqualTo(SelectStrategy.CONTINUE);
    now.addAndGet(1);
    assertThat(strategy.calculateStrategy(ready(0), false))
        .as("the window is over")
        .isEqualTo(SelectStrategy.SELECT);
  }

  @Test
  void aHandlerThatRunsLongerThanThePollTimeLetsTheLoopSleep() throws Exception {
    BusyPollStrategy strategy =
        new BusyPollStrategy(handlers, Duration.ofMillis(1).toNanos(), LONG_POLL);
    handlers.handedOff();
    now.addAndGet(Duration.ofMillis(1).toNanos() - 1);
    assertThat(strategy.calculateStrategy(ready(0), false))
        .as("still within the poll time")
        .isEqualTo(SelectStrategy.CONTINUE);
    now.addAndGet(1);

    assertThat(strategy.calculateStrategy(ready(0), false)).isEqualTo(SelectStrategy.SELECT);
    assertThat(polls).as("only the poll within the time").hasValue(1);
  }

  private IntSupplier ready(int sockets) {
    return () -> {
      polls.incrementAndGet();
      return sockets;
    };
  }
}
