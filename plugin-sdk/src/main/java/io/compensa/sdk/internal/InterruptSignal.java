package io.compensa.sdk.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the plugin ignore SIGINT, as go-plugin plugins do.
 *
 * <p>Ctrl-C in a terminal reaches the whole process group, plugins included; the host decides how
 * to stop them (a cancelled apply still finalizes through its plugins). Thread-safe.
 */
public final class InterruptSignal {

  private static final Logger log = LoggerFactory.getLogger(InterruptSignal.class);

  private InterruptSignal() {}

  /**
   * Installs a handler that does nothing for SIGINT; logs at debug where the JVM does not allow it.
   */
  public static void ignore() {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> {});
    } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError refused) {
      log.debug(
          "cannot ignore SIGINT on this JVM ({}): Ctrl-C will stop the plugin", refused.toString());
    }
  }
}
