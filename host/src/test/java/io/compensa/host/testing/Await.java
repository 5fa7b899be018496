package io.compensa.host.testing;

import java.time.Duration;

/** Polls a condition until it holds or a deadline passes: no test waits without one. */
public final class Await {
  /** A condition that may throw, as reading a file or a process does. */
  @FunctionalInterface
  public interface Condition {
    boolean holds() throws Exception;
  }

  private Await() {}

  /**
   * Returns once {@code condition} holds, checking every 10 ms; fails with an {@link
   * AssertionError} naming {@code what} when it still does not hold after {@code timeout}.
   */
  public static void until(String what, Duration timeout, Condition condition) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("waited " + timeout.toSeconds() + " s for " + what + ", in vain");
      }
      Thread.sleep(10);
    }
  }
}
