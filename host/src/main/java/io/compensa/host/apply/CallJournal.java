package io.compensa.host.apply;

import io.compensa.host.endpoint.DriverCallException;
import io.compensa.host.endpoint.PluginEndpoint;
import io.compensa.host.endpoint.PluginRouter;

/**
 * Receives every plugin call the engine makes, before and after it.
 *
 * <p>{@link DriverCalls} is the one place that calls plugins, and it reports each call here: the
 * intent before the call is made, then its result. The crash-safe journal implements this; the
 * default records nothing.
 */
public interface CallJournal {
  /** Records nothing. */
  CallJournal NONE = new CallJournal() {};

  /** The call is about to be made (attempt counts from 1). Must not return before the intent is durable. */
  default void intent(String planId, String actionId, String call, int attempt) {}

  /** The call answered. */
  default void succeeded(String planId, String actionId, String call, int attempt) {}

  /** The call failed with this message. */
  default void failed(String planId, String actionId, String call, int attempt, String message) {}
}
