package io.compensa.host.conformance;

import static io.compensa.host.conformance.CheckFailed.expect;

import com.google.protobuf.Struct;
import io.compensa.host.apply.ApplyEngine;
import io.compensa.host.apply.ApplyListener;
import io.compensa.host.apply.ApplyOptions;
import io.compensa.host.apply.ApplyResult;
import io.compensa.host.endpoint.LaunchedPluginEndpoint;
import io.compensa.host.endpoint.PluginRouter;
import io.compensa.host.launch.LaunchedPlugin;
import io.compensa.host.secrets.FileSecretStore;
import io.compensa.host.state.FileStateStore;
import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.CompensationPolicy;
import io.compensa.proto.v1.DeleteRequest;
import io.compensa.proto.v1.Operation;
import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.PlanAction;
import io.compensa.proto.v1.ReadRequest;
import io.compensa.proto.v1.ResourceSpec;
import io.compensa.proto.v1.ResourceState;
import io.compensa.proto.v1.ResourceType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The NONE policy, through the host's own apply engine: for each action kind a type declares NONE,
 * an apply of that kind whose post-driver step fails must end COMPENSATION_FAILED, "not
 * compensable", with no inverse call made: Read still sees what the action did. (The plugin
 * declares that the kind cannot be undone; the check shows what an operator then gets.) Each check
 * applies a one-action plan to a scratch state of its own and deletes what it made. Not
 * thread-safe.
 */
final class NonePolicyChecks {
  private static final String HOOK_FAILURE = "conformance: a post-driver step failed";

  private final LaunchedPlugin plugin;
  private final ResourceType type;
  private final List<Struct> samples;
  private final String runId;

  NonePolicyChecks(LaunchedPlugin plugin, ResourceType type, List<Struct> samples, String runId) {
    this.plugin = plugin;
    this.type = type;
    this.samples = samples;
    this.runId = runId;
  }

  /** Runs a check for each kind the type declares NONE (and has the operation of). */
  void run(CheckLog log) {
    if (samples.isEmpty()) {
      return; // sample-configs already failed for this type
    }
    var policies = type.getCompensation();
    if (policies.getCreate() == CompensationPolicy.COMPENSATION_POLICY_NONE) {
      check(log, "none-create", ActionKind.ACTION_KIND_CREATE);
    }
    if (policies.getUpdate() == CompensationPolicy.COMPENSATION_POLICY_NONE
        && type.getOperationsList().contains(Operation.OPERATION_UPDATE)) {
      if (samples.size() < 2) {
        log.skip(
            "none-update",
            type.getName(),
            "needs a second sample config to update to (in the manifest, or --sample-configs)");
      } else {
        check(log, "none-update", ActionKind.ACTION_KIND_UPDATE);
      }
    }
    if (policies.getDelete() == CompensationPolicy.COMPENSATION_POLICY_NONE
        && type.getOperationsList().contains(Operation.OPERATION_DELETE)) {
      check(log, "none-delete", ActionKind.ACTION_KIND_DELETE);
    }
  }

  private void check(CheckLog log, String name, ActionKind kind) {
    Path scratch = null;
    Optional<ResourceState> made = Optional.empty();
    try {
      scratch = Files.createTempDirectory("compensa-conformance-none");
      Engine engine = new Engine(scratch);
      ResourceSpec spec =
          ResourceSpec.newBuilder()
              .setName("conformance-" + name)
              .setType(type.getName())
              .setConfig(samples.get(0))
              .build();
      ResourceState before = null;
      if (kind != ActionKind.ACTION_KIND_CREATE) {
        ActionOutcome created =
            engine.apply(action(name + "-setup", ActionKind.ACTION_KIND_CREATE, spec, null), false);
        expect(
            created.getStatus() == ActionStatus.ACTION_STATUS_SUCCESS,
            "the Create that sets up the check ended "
                + created.getStatus()
                + ": "
                + created.getDriverError());
        before = engine.recorded(spec.getName());
        made = Optional.of(before);
      }
      ResourceSpec target =
          kind == ActionKind.ACTION_KIND_UPDATE
              ? spec.toBuilder().setConfig(samples.get(1)).build()
              : spec;
      ActionOutcome outcome = engine.apply(action(name, kind, target, before), true);
      if (kind == ActionKind.ACTION_KIND_CREATE && outcome.hasDriverOutput()) {
        made =
            Optional.of(
                ResourceState.newBuilder()
                    .setName(spec.getName())
                    .setType(spec.getType())
                    .setConfig(spec.getConfig())
                    .setOutput(outcome.getDriverOutput())
                    .build());
      }
      expect(
          outcome.getStatus() == ActionStatus.ACTION_STATUS_COMPENSATION_FAILED,
          "a failed post-driver step after a "
              + kind
              + " whose policy is NONE ended "
              + outcome.getStatus()
              + "; expected COMPENSATION_FAILED");
      expect(
          outcome.getCompensation().getDetail().contains("not compensable"),
          "the compensation says \""
              + outcome.getCompensation().getDetail()
              + "\", not \"not compensable\"");
      boolean exists = read(spec, made.map(s -> s.getOutput().getProviderId()).orElse(""));
      boolean shouldExist = kind != ActionKind.ACTION_KIND_DELETE;
      expect(
          exists == shouldExist,
          "after the "
              + kind
              + " that could not be compensated, Read "
              + (exists ? "still finds" : "does not find")
              + " the resource: no inverse call may undo a NONE kind");
      log.pass(
          name,
          type.getName(),
          "COMPENSATION_FAILED, not compensable; the "
              + kind.name().substring(12).toLowerCase()
              + " stands (no inverse call)");
    } catch (CheckFailed failed) {
      log.fail(name, type.getName(), failed.getMessage());
    } catch (Exception e) {
      log.fail(name, type.getName(), "the check could not run: " + e.getMessage());
    } finally {
      made.ifPresent(this::deleteQuietly);
      if (scratch != null) {
        deleteTree(scratch);
      }
    }
  }

  private PlanAction action(
      String name, ActionKind kind, ResourceSpec spec, ResourceState current) {
    PlanAction.Builder action =
        PlanAction.newBuilder()
            .setId(runId + "-" + type.getName() + "-" + name)
            .setKind(kind)
            .setResource(spec);
    if (current != null) {
      action.setCurrent(current);
    }
    return action.build();
  }

  private boolean read(ResourceSpec spec, String providerId) {
    return plugin
        .client()
        .read(ReadRequest.newBuilder().setResource(spec).setProviderId(providerId).build())
        .getExists();
  }

  private void deleteQuietly(ResourceState state) {
    try {
      plugin
          .client()
          .delete(
              DeleteRequest.newBuilder()
                  .setActionId(runId + "-cleanup-" + state.getName())
                  .setState(state)
                  .build());
    } catch (RuntimeException ignored) {
      // the check already reported what went wrong; cleaning up is a courtesy
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory
    }
  }

  /** The host's apply engine over the running plugin, with a scratch state. */
  private final class Engine {
    private final Path state;
    private final Path secrets;

    Engine(Path scratch) {
      this.state = scratch.resolve("state.json");
      this.secrets = scratch.resolve("secrets.json");
    }

    /** Applies one action, its post-driver step failing when {@code failing}; its outcome. */
    ActionOutcome apply(PlanAction action, boolean failing) throws Exception {
      // the endpoint never relaunches, and is not closed here: the suite owns the plugin
      LaunchedPluginEndpoint endpoint =
          new LaunchedPluginEndpoint(
              plugin,
              () -> {
                throw new IllegalStateException("the conformance suite does not relaunch a plugin");
              },
              0);
      ApplyEngine engine =
          new ApplyEngine(
              new PluginRouter(List.of(endpoint)),
              new FileStateStore(state),
              new FileSecretStore(secrets),
              ApplyOptions.builder()
                  .hook(
                      context -> {
                        if (failing) {
                          throw new IllegalStateException(HOOK_FAILURE);
                        }
                      })
                  .build(),
              new ApplyListener() {});
      ApplyResult result =
          engine.apply(
              Plan.newBuilder().setId(action.getId()).addActions(action).build(), "conformance");
      return result.outcomes().get(0);
    }

    ResourceState recorded(String name) throws Exception {
      return new FileStateStore(state)
          .read().getResourcesList().stream()
              .filter(r -> r.getName().equals(name))
              .findFirst()
              .orElseThrow(
                  () -> new CheckFailed("the state does not record " + name + " after its Create"));
    }
  }
}
