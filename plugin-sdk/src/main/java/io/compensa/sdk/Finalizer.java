package io.compensa.sdk;

import java.util.List;

/**
 * Finishes work a plugin deferred during an apply (a batched flush), once per apply after the
 * action loop.
 *
 * <p>Optional: register one with {@link CompensaPlugin.Builder#finalizer(Finalizer)} and the plugin
 * serves {@code compensa.v1.FinalizerService} and declares the FINALIZER capability. The host calls
 * it also after non-fatal errors and for an empty plan. Implementations must be thread-safe with
 * respect to the plugin's drivers, whose state they usually share.
 */
@FunctionalInterface
public interface Finalizer {

  /**
   * Finishes the deferred work of one apply.
   *
   * @param planId the plan's id
   * @param outcomes the outcomes of this plugin's actions so far
   * @return errors to report and outcomes to amend to COMPENSATED
   * @throws DriverException when finalizing failed as a whole
   */
  FinalizeResult finalizeApply(String planId, List<Outcome> outcomes) throws DriverException;
}
