package io.compensa.host.apply;

import io.compensa.host.compensate.DriverCaller;
import io.compensa.host.compensate.ResolvedAction;
import io.compensa.host.endpoint.DriverCallException;
import io.compensa.host.journal.ApplyJournal;
import io.compensa.host.journal.JournalException;
import io.compensa.proto.v1.DeleteRequest;
import io.compensa.proto.v1.DeposedObject;
import io.compensa.proto.v1.ResourceOutput;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where the engine calls plugins: every driver call and every compensation goes
 * through {@link #call}, which journals it (the intent durable before the call is made) and retries
 * retryable failures with exponential backoff. Thread-safe.
 */
final class DriverCalls implements DriverCaller {
  private static final Logger log = LoggerFactory.getLogger(DriverCalls.class);

  private final ApplyJournal journal;
  private final int maxAttempts;
  private final Duration initialBackoff;

  DriverCalls(ApplyJournal journal, int maxAttempts, Duration initialBackoff) {
    this.journal = journal;
    this.maxAttempts = Math.max(1, maxAttempts);
    this.initialBackoff = initialBackoff;
  }

  ApplyJournal journal() {
    return journal;
  }

  /**
   * Makes a call, retrying retryable failures and crashes (the endpoint relaunches a crashed
   * plugin; every call is idempotent, so repeating one is safe).
   */
  @Override
  public <T> T call(String actionId, String callName, Call<T> call) throws DriverCallException {
    return call(actionId, callName, call, true);
  }

  /**
   * Makes an action's forward driver call, retrying retryable failures but not a crash: after a
   * crash the caller asks the driver with Read whether the call took effect.
   */
  <T> T forward(String actionId, String callName, Call<T> call) throws DriverCallException {
    return call(actionId, callName, call, false);
  }

  private <T> T call(String actionId, String callName, Call<T> call, boolean retryCrashes)
      throws DriverCallException {
    long backoffMillis = initialBackoff.toMillis();
    for (int attempt = 1; ; attempt++) {
      try {
        journal.intent(actionId, callName, attempt);
      } catch (JournalException e) {
        // the call must not be made when its intent is not durable; on the first attempt nothing
        // was done at all, which the caller tells by the cause (see notStarted)
        throw attempt == 1
            ? new DriverCallException(
                e.getMessage(), false, ResourceOutput.getDefaultInstance(), false, e)
            : new DriverCallException(e.getMessage());
      }
      CrashPoints.reach(CrashPoints.INTENT_JOURNALED, callName);
      try {
        T result = call.invoke();
        CrashPoints.reach(CrashPoints.CALL_RETURNED, callName);
        journal.succeeded(actionId, callName, attempt, result);
        CrashPoints.reach(CrashPoints.RESULT_JOURNALED, callName);
        return result;
      } catch (DriverCallException e) {
        journal.failed(actionId, callName, attempt, e.getMessage());
        boolean again = e.retryable() || (e.crashed() && retryCrashes);
        if (!again || attempt >= maxAttempts) {
          throw e;
        }
        log.info(
            "{} of action {} failed (attempt {} of {}), retrying in {} ms: {}",
            callName,
            actionId,
            attempt,
            maxAttempts,
            backoffMillis,
            e.getMessage());
        sleep(backoffMillis);
        backoffMillis = Math.min(backoffMillis * 2, 30_000);
      }
    }
  }

  /**
   * Whether {@code e} means the call was never made, not even once: its first intent could not be
   * journaled. An action that ends so never started, as {@code recover} will also see it (the
   * journal holds nothing of it).
   */
  static boolean notStarted(DriverCallException e) {
    return e.getCause() instanceof JournalException;
  }

  private static void sleep(long millis) throws DriverCallException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DriverCallException("interrupted while waiting to retry");
    }
  }

  /**
   * Deletes an old object a create-before-delete replace deposed, with the id of that replace (so
   * that repeating it is harmless), journaled under {@code actionId}.
   */
  void deleteDeposed(ResolvedAction target, String actionId, DeposedObject deposed)
      throws DriverCallException {
    call(
        actionId,
        "Delete (deposed)",
        () ->
            target
                .endpoint()
                .delete(
                    DeleteRequest.newBuilder()
                        .setActionId(deposed.getActionId())
                        .setState(deposed.getState())
                        .build()));
  }
}
