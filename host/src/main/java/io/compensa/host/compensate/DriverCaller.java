package io.compensa.host.compensate;

import io.compensa.host.endpoint.DriverCallException;

/**
 * Makes a plugin call on behalf of an action the way the apply makes every call: its intent
 * journaled (durable) before it is made, its result journaled after, retryable failures and crashes
 * retried with backoff. The apply engine supplies it; compensation makes its calls through it.
 */
@FunctionalInterface
public interface DriverCaller {
  /** A plugin call that may fail. */
  @FunctionalInterface
  interface Call<T> {
    /** Makes the call. */
    T invoke() throws DriverCallException;
  }

  /** Makes {@code call}, named {@code callName} in the journal, for the action {@code actionId}. */
  <T> T call(String actionId, String callName, Call<T> call) throws DriverCallException;
}
