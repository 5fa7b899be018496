package io.compensa.host.plan;

import io.compensa.proto.v1.CommandHook;
import io.compensa.proto.v1.ResourceSpec;
import java.util.List;

/**
 * A resource as the operator wants it, with the command hooks to run after it is applied.
 *
 * @param spec the resource's name, type, configuration and dependencies
 * @param hooks the operator's command hooks for it
 */
public record DesiredResource(ResourceSpec spec, List<CommandHook> hooks) {
  public DesiredResource {
    hooks = List.copyOf(hooks);
  }
}
