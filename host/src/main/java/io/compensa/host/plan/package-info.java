/**
 * Plans: what the operator wants, turned into actions, and checked before anything is called.
 *
 * <p>{@link io.compensa.host.plan.DesiredResourcesReader} reads the desired resources (their types,
 * configurations, dependencies and command hooks); {@link io.compensa.host.plan.Planner} diffs them
 * against the state with the drivers' {@code Diff} into a {@code compensa.v1.Plan} of CREATE,
 * UPDATE, REPLACE and DELETE actions, which {@link io.compensa.host.plan.PlanFiles} writes and
 * reads as ProtoJSON. Before an apply, {@link io.compensa.host.plan.PlanValidator} refuses a plan
 * it cannot run (an unknown type, a cycle, duplicate names, a create of a resource the state
 * already records) with an {@link io.compensa.host.plan.InvalidPlanException}, and returns its
 * {@link io.compensa.host.plan.ActionGraph}; {@link io.compensa.host.plan.ReadyActions} walks that
 * graph forward for the apply and in reverse for the rollback cascade.
 */
package io.compensa.host.plan;
