package io.compensa.host.apply;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.compensa.host.compensate.ResolvedAction;
import io.compensa.host.endpoint.DriverCallException;
import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.CreateResponse;
import io.compensa.proto.v1.ReadResponse;
import io.compensa.proto.v1.ResourceOutput;
import io.compensa.proto.v1.ResourceState;
import io.compensa.proto.v1.UpdateResponse;
import java.util.Map;
import java.util.Optional;

/**
 * Asks a driver with Read whether an action's forward call took effect, when its answer was lost
 * (the plugin crashed under it, or the host died before it was journaled). Thread-safe.
 */
final class ReadBack {
  /**
   * How the journal names a forward call's answer that Read supplied: {@code "Read back: Create"}.
   */
  static final String READ_BACK_PREFIX = "Read back: ";

  private final DriverCalls calls;

  ReadBack(DriverCalls calls) {
    this.calls = calls;
  }

  /**
   * The resource's output when the forward call of {@code target} took effect (empty output for a
   * delete); nothing when it did not, when the type has no Read, or when the driver cannot tell. A
   * replace is never settled this way: its two halves cannot be told apart by one Read.
   */
  Optional<ResourceOutput> tookEffect(ResolvedAction target, Optional<ResourceState> prior) {
    if (!target.reads() || target.kind() == ActionKind.ACTION_KIND_REPLACE) {
      return Optional.empty();
    }
    String providerId =
        target.kind() == ActionKind.ACTION_KIND_CREATE
            ? ""
            : prior.map(p -> p.getOutput().getProviderId()).orElse("");
    ReadResponse read;
    try {
      read = calls.read(target, "Read (recover)", providerId);
    } catch (DriverCallException e) {
      return Optional.empty();
    }
    Optional<ResourceOutput> effect = effect(target, read);
    if (effect.isPresent() && target.kind() == ActionKind.ACTION_KIND_CREATE) {
      // what Read found stands for the lost answer from now on: journaled as such, so that a
      // recover after a later crash (in a compensation, say) resumes from it instead of asking
      // again a world the compensation has since changed
      calls
          .journal()
          .succeeded(
              target.id(),
              READ_BACK_PREFIX + "Create",
              1,
              CreateResponse.newBuilder().setOutput(effect.get()).build());
    } else if (effect.isPresent() && target.kind() == ActionKind.ACTION_KIND_UPDATE) {
      calls
          .journal()
          .succeeded(
              target.id(),
              READ_BACK_PREFIX + "Update",
              1,
              UpdateResponse.newBuilder().setOutput(effect.get()).build());
    }
    return effect;
  }

  /** What {@code read} says of the forward call of {@code target}: its output if it took effect. */
  private static Optional<ResourceOutput> effect(ResolvedAction target, ReadResponse read) {
    switch (target.kind()) {
      case ACTION_KIND_CREATE:
        return read.getExists() ? Optional.of(read.getOutput()) : Optional.empty();
      case ACTION_KIND_DELETE:
        return read.getExists()
            ? Optional.empty()
            : Optional.of(ResourceOutput.getDefaultInstance());
      default:
        boolean updated =
            read.getExists()
                && read.hasObservedConfig()
                && observes(read.getObservedConfig(), target.action().getResource().getConfig());
        return updated ? Optional.of(read.getOutput()) : Optional.empty();
    }
  }

  /**
   * Whether {@code observed} shows every field {@code desired} sets, with its value. The observed
   * config may hold more (fields the provider defaults, such as a file's mode), which does not make
   * the update any less done.
   */
  private static boolean observes(Struct observed, Struct desired) {
    for (Map.Entry<String, Value> field : desired.getFieldsMap().entrySet()) {
      if (!field.getValue().equals(observed.getFieldsMap().get(field.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
