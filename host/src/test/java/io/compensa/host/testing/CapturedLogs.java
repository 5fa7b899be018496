package io.compensa.host.testing;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

/** Every log event of the test JVM, as {@link CapturingLoggerProvider} recorded it. */
public final class CapturedLogs {
  private static final ConcurrentLinkedQueue<CapturedEvent> EVENTS = new ConcurrentLinkedQueue<>();
  private static final java.util.Set<String> DEBUG_OFF =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * Makes the logger {@code name} report DEBUG and TRACE as disabled (as an operator's CLI without
   * --verbose has them), or enabled again; every logger starts enabled at every level.
   */
  public static void debug(String name, boolean enabled) {
    if (enabled) {
      DEBUG_OFF.remove(name);
    } else {
      DEBUG_OFF.add(name);
    }
  }

  /** Whether {@link #debug} turned DEBUG off for the logger {@code name}. */
  public static boolean debugOff(String name) {
    return DEBUG_OFF.contains(name);
  }

  private static final java.util.Set<String> QUIET =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private CapturedLogs() {}

  /**
   * Captures the events of logger {@code name} without printing them (a test that makes thousands
   * on purpose), or prints them again.
   */
  public static void quiet(String name, boolean quiet) {
    if (quiet) {
      QUIET.add(name);
    } else {
      QUIET.remove(name);
    }
  }

  static void add(CapturedEvent event) {
    EVENTS.add(event);
    if (!QUIET.contains(event.logger())) {
      System.err.println(
          event.level() + " " + event.logger() + " - " + event.message() + " " + event.fields());
    }
  }

  /** The events captured so far, oldest first. */
  public static List<CapturedEvent> events() {
    return List.copyOf(EVENTS);
  }

  /** Waits up to {@code timeout} for an event matching {@code match}. */
  public static Optional<CapturedEvent> await(Predicate<CapturedEvent> match, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    do {
      Optional<CapturedEvent> found = EVENTS.stream().filter(match).findFirst();
      if (found.isPresent()) {
        return found;
      }
      Thread.sleep(20);
    } while (System.nanoTime() < deadline);
    return Optional.empty();
  }
}
