/**
 * Applying a plan: every action driven through its plugin, in dependency order, to exactly one
 * outcome.
 *
 * <p>{@link io.compensa.host.apply.ApplyEngine} is the entry point: {@code apply} takes the state
 * lock, refuses while an earlier apply is unfinished, validates the plan into an {@link
 * io.compensa.host.plan.ActionGraph} and journals its start; an {@code ApplyRun} wires the steps
 * one apply needs, and the {@code Scheduler} runs the actions on a pool, up to the parallelism,
 * honouring the {@link io.compensa.host.apply.FailurePolicy}. One action's walk: the {@code
 * ActionExecutor} makes its forward driver call (the two calls of a replace) through {@code
 * DriverCalls}, which journals each call's intent before it is made and retries retryable failures;
 * a driver error ends the action there. A call that took effect goes to the {@code
 * PostDriverSteps}: output validation, secrets routing, state persistence, the embedder's {@link
 * io.compensa.host.apply.PostDriverHook}s, the operator's command hooks. The first step that fails
 * hands the action to {@link io.compensa.host.compensate}, and the record is settled to match the
 * world. When the loop ends, {@code ApplyRun.finish} runs the rollback cascade if the policy asks
 * for it, FinalizeApply ({@code Finalization}), checks invariant 1, writes the state and completes
 * the journal. {@code recover} finishes an apply whose host died ({@code Recovery}, {@code
 * InterruptedActions}) with the same steps.
 *
 * <p>What each action must end as is the outcome table in {@code docs/compensation.md}; the walk
 * and the journal's story are in {@code docs/architecture.md}.
 */
package io.compensa.host.apply;
