/**
 * Compensation: undoing an action whose driver call took effect when what the host does after it
 * fails, so that the record matches the world.
 *
 * <p>A {@link io.compensa.host.compensate.ResolvedAction} is resolved once per action: the plugin
 * serving its type and the type's compensation policy per action kind. The {@link
 * io.compensa.host.compensate.ActionCompensator} undoes by that policy: NONE (nothing is undone;
 * what remains is flagged for an operator), HOST_INVERSE (the host's inverse driver call: Delete
 * what was created, Create again what was deleted, Update back what was updated; a replace in
 * reverse, both halves) or PLUGIN ({@code CompensableService.Compensate}, confirmed by Read for a
 * creation). It also restores a half-replaced resource (old deleted, new not created) when the
 * delete policy allows. Each result is a {@link io.compensa.host.compensate.Compensation}: the
 * status, the detail the outcome carries, and the record that matches the world afterwards. Under
 * {@code --on-failure rollback}, the {@link io.compensa.host.compensate.RollbackCascade}
 * compensates every action that took effect, dependents first, and leaves in place, "blocked by"
 * its dependent, what a dependent that could not be compensated still uses.
 *
 * <p>Calls go through the apply's {@link io.compensa.host.compensate.DriverCaller} (journaled,
 * retried), and records through its {@link io.compensa.host.compensate.ActionRecords}; this package
 * depends on no class of {@link io.compensa.host.apply}. The outcome table it implements is {@code
 * docs/compensation.md}.
 */
package io.compensa.host.compensate;
