package io.compensa.host.apply;

import io.compensa.proto.v1.PlanAction;
import io.compensa.proto.v1.ResourceOutput;
import java.util.Optional;

/**
 * What a post-driver hook sees: the action and what the driver returned.
 *
 * @param action the plan action that was applied
 * @param output the resource's output after the action, with sensitive values removed; absent after
 *     a delete
 */
public record HookContext(PlanAction action, Optional<ResourceOutput> output) {}
