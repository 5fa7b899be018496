package io.compensa.host.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Routes Ctrl-C (SIGINT) to the running command instead of ending the JVM at once, so an apply can
 * cancel cleanly. Only the CLI uses it; one handler at a time.
 */
@SuppressWarnings("sunapi")
final class Interrupts {
  private static volatile SignalHandler previous;

  private Interrupts() {}

  static void onInterrupt(Runnable action) {
    try {
      previous = Signal.handle(new Signal("INT"), signal -> action.run());
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      previous = null; // no SIGINT on this platform: Ctrl-C keeps the JVM's default behaviour
    }
  }

  static void restore() {
    SignalHandler handler = previous;
    if (handler != null) {
      Signal.handle(new Signal("INT"), handler);
      previous = null;
    }
  }
}
