package io.compensa.sdk.testkit.inprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.compensa.proto.v1.Manifest;
import io.compensa.sdk.ActionKind;
import io.compensa.sdk.ActionStatus;
import io.compensa.sdk.CompensaPlugin;
import io.compensa.sdk.CompensationPolicy;
import io.compensa.sdk.CompensationRequest;
import io.compensa.sdk.CompensationResult;
import io.compensa.sdk.DiffResult;
import io.compensa.sdk.DriverException;
import io.compensa.sdk.FinalizeResult;
import io.compensa.sdk.Operation;
import io.compensa.sdk.Outcome;
import io.compensa.sdk.ReadResult;
import io.compensa.sdk.ResourceDriver;
import io.compensa.sdk.ResourceOutput;
import io.compensa.sdk.ResourceSpec;
import io.compensa.sdk.ResourceState;
import io.compensa.sdk.ResourceType;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The kit against a small plugin written here: a "memo" type whose world is a map, and whose driver
 * fails in each way a driver can when its config asks it to.
 */
class InProcessPluginTest {

  private static final ResourceType MEMO =
      ResourceType.builder("memo")
          .description("A note kept in memory.")
          .operations(Operation.values())
          .compensateCreate(CompensationPolicy.PLUGIN)
          .build();

  private final Map<String, String> world = new ConcurrentHashMap<>();
  private final CountDownLatch released = new CountDownLatch(1);
  private InProcessPlugin plugin;

  @AfterEach
  void close() {
    released.countDown();
    if (plugin != null) {
      plugin.close();
    }
  }

  /** Fails as its config's "fail" key says; otherwise keeps the note in {@link #world}. */
  private final class MemoDriver implements ResourceDriver {
    private final String prefix;

    MemoDriver(String prefix) {
      this.prefix = prefix;
    }

    @Override
    public ResourceOutput create(String actionId, ResourceSpec spec) throws DriverException {
      String fail = (String) spec.config().getOrDefault("fail", "");
      switch (fail) {
        case "busy" -> throw DriverException.retryable("the memo store is busy, try again");
        case "half" ->
            throw DriverException.partial(
                "wrote the memo but not its index",
                ResourceOutput.of(prefix + spec.name()).withOutput("indexed", false));
        case "undone" -> throw DriverException.rolledBack("could not index; removed the memo");
        case "exists" -> throw DriverException.alreadyExists("memo " + spec.name() + " exists");
        case "bug" -> throw new IllegalStateException("null index");
        case "no-id" -> {
          return ResourceOutput.of("");
        }
        case "hang" -> {
          try {
            released.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return ResourceOutput.of(prefix + spec.name());
        }
        default -> {
          // create as asked
        }
      }
      String text = (String) spec.config().get("text");
      world.put(prefix + spec.name(), text);
      return ResourceOutput.of(prefix + spec.name())
          .withOutput("length", text.length())
          .withSensitiveOutput("token", "t-" + actionId);
    }

    @Override
    public ReadResult read(ResourceSpec spec, String providerId) {
      String text = world.get(providerId);
      return text == null
          ? ReadResult.absent()
          : ReadResult.found(ResourceOutput.of(providerId).withOutput("length", text.length()))
              .withObservedConfig(Map.of("text", text));
    }

    @Override
    public ResourceOutput update(String actionId, ResourceSpec desired, ResourceState prior)
        throws DriverException {
      if (!world.containsKey(prior.providerId())) {
        throw DriverException.notFound("memo " + prior.providerId() + " is gone");
      }
      String text = (String) desired.config().get("text");
      world.put(prior.providerId(), text);
      return ResourceOutput.of(prior.providerId()).withOutput("length", text.length());
    }

    @Override
    public void delete(String actionId, ResourceState state) {
      world.remove(state.providerId());
    }

    @Override
    public DiffResult diff(ResourceSpec desired, ResourceState prior) {
      return desired.config().equals(prior.config())
          ? DiffResult.none()
          : DiffResult.replace(List.of("text"), List.of("text"));
    }
  }

  private CompensaPlugin memoPlugin() {
    return CompensaPlugin.builder()
        .name("memo")
        .version("1.2.3")
        .resource(
            MEMO,
            config ->
                new MemoDriver(
                    config
                        .string("prefix")
                        .orElseThrow(() -> new IllegalArgumentException("set \"prefix\""))))
        .compensator(
            request -> {
              world.remove(request.driverOutput().providerId());
              return CompensationResult.compensated(
                  "removed " + request.driverOutput().providerId());
            })
        .finalizer(
            (planId, outcomes) ->
                FinalizeResult.ok().withCompensated(outcomes.get(0).actionId(), "never flushed"))
        .build();
  }

  private InProcessPlugin start() {
    plugin = InProcessPlugin.start(memoPlugin(), Map.of("prefix", "m/"));
    return plugin;
  }

  private static ResourceSpec memo(String text) {
    return ResourceSpec.of("note", "memo", Map.of("text", text));
  }

  private static ResourceSpec failing(String how) {
    return ResourceSpec.of("note", "memo", Map.of("text", "x", "fail", how));
  }

  @Test
  void createReadUpdateDiffAndDeleteGoThroughTheWireAndChangeTheWorld() {
    InProcessPlugin memos = start();

    ResourceOutput created = memos.create("a1", memo("hello"));
    assertThat(created.providerId()).isEqualTo("m/note");
    // a Struct has only doubles: the host records 5.0, not 5
    assertThat(created.outputs()).containsEntry("length", 5.0).containsEntry("token", "t-a1");
    assertThat(created.sensitiveKeys()).containsExactly("token");
    assertThat(world).containsEntry("m/note", "hello");

    ReadResult read = memos.read(memo("hello"), "m/note");
    assertThat(read.exists()).isTrue();
    assertThat(read.observedConfig()).containsEntry("text", "hello");

    ResourceState state = ResourceState.of("note", "memo", memo("hello").config(), created);
    ResourceOutput updated = memos.update("a2", memo("hello, world"), state);
    assertThat(updated.outputs()).containsEntry("length", 12.0);
    assertThat(world).containsEntry("m/note", "hello, world");

    DiffResult diff = memos.diff(memo("bye"), state);
    assertThat(diff.change()).isEqualTo(DiffResult.Change.REPLACE);
    assertThat(diff.replaceKeys()).containsExactly("text");
    assertThat(memos.diff(memo("hello"), state).change()).isEqualTo(DiffResult.Change.NONE);

    memos.delete("a3", state);
    assertThat(world).isEmpty();
    assertThat(memos.read(memo("hello"), "m/note").exists()).isFalse();
  }

  @Test
  void theManifestIsWhatTheHostReads() {
    Manifest manifest = start().manifest();

    assertThat(manifest.getName()).isEqualTo("memo");
    assertThat(manifest.getVersion()).isEqualTo("1.2.3");
    assertThat(manifest.getResourceTypesList())
        .extracting(t -> t.getName())
        .containsExactly("memo");
  }

  @Test
  void aDriverExceptionArrivesWithItsKindRetryabilityAndPartialOutput() {
    InProcessPlugin memos = start();

    assertThatThrownBy(() -> memos.create("a1", failing("busy")))
        .isInstanceOfSatisfying(
            DriverCallFailure.class,
            failure -> {
              assertThat(failure.code()).isEqualTo(Status.Code.UNAVAILABLE);
              assertThat(failure.kind()).contains(DriverException.Kind.TRANSIENT);
              assertThat(failure.retryable()).isTrue();
              assertThat(failure.getMessage()).isEqualTo("the memo store is busy, try again");
              assertThat(failure.call()).isEqualTo("Create of memo \"note\"");
              assertThat(failure.pluginBug()).isFalse();
            });
    assertThatThrownBy(() -> memos.create("a2", failing("half")))
        .isInstanceOfSatisfying(
            DriverCallFailure.class,
            failure -> {
              assertThat(failure.kind()).contains(DriverException.Kind.FAILED);
              assertThat(failure.retryable()).isFalse();
              assertThat(failure.partialOutput())
                  .hasValueSatisfying(
                      partial -> {
                        assertThat(partial.providerId()).isEqualTo("m/note");
                        assertThat(partial.outputs()).containsEntry("indexed", false);
                      });
            });
    assertThatThrownBy(() -> memos.create("a3", failing("undone")))
        .isInstanceOfSatisfying(
            DriverCallFailure.class, failure -> assertThat(failure.rolledBack()).isTrue());
    assertThatThrownBy(() -> memos.create("a4", failing("exists")))
        .isInstanceOfSatisfying(
            DriverCallFailure.class,
            failure -> assertThat(failure.kind()).contains(DriverException.Kind.ALREADY_EXISTS));
    ResourceState gone =
        ResourceState.of("note", "memo", memo("x").config(), ResourceOutput.of("m/note"));
    assertThatThrownBy(() -> memos.update("a5", memo("y"), gone))
        .isInstanceOfSatisfying(
            DriverCallFailure.class,
            failure -> {
              assertThat(failure.code()).isEqualTo(Status.Code.NOT_FOUND);
              assertThat(failure.call()).isEqualTo("Update of memo \"note\"");
            });
  }

  @Test
  void whatTheHostTakesForAPluginBugIsReportedAsOne() {
    InProcessPlugin memos = start();

    assertThatThrownBy(() -> memos.create("a1", failing("bug")))
        .isInstanceOfSatisfying(
            DriverCallFailure.class,
            failure -> {
              assertThat(failure.pluginBug()).isTrue();
              assertThat(failure.kind()).isEmpty();
              assertThat(failure.getMessage())
                  .contains("Create of memo \"note\" failed unexpectedly")
                  .contains("null index");
            });
    assertThatThrownBy(() -> memos.create("a2", failing("no-id")))
        .isInstanceOfSatisfying(
            DriverCallFailure.class,
            failure -> {
              assertThat(failure.pluginBug()).isTrue();
              assertThat(failure.getMessage()).contains("returned no provider id");
            });
    assertThatThrownBy(() -> memos.create("a3", ResourceSpec.of("n", "memo_v2", Map.of())))
        .isInstanceOfSatisfying(
            DriverCallFailure.class,
            failure -> {
              assertThat(failure.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(failure.getMessage()).contains("unknown resource type \"memo_v2\"");
            });
  }

  @Test
  void compensateAndFinalizeAnswerWhatTheHostWouldApply() {
    InProcessPlugin memos = start();
    ResourceOutput created = memos.create("a1", memo("hello"));

    CompensationResult undone =
        memos.compensate(
            new CompensationRequest(
                "a1", ActionKind.CREATE, memo("hello"), created, Optional.empty(), "hook failed"));
    assertThat(undone.compensated()).isTrue();
    assertThat(undone.detail()).isEqualTo("removed m/note");
    assertThat(world).isEmpty();

    FinalizeResult finalized =
        memos.finalizeApply(
            "plan-1",
            List.of(new Outcome("a1", "note", ActionKind.CREATE, ActionStatus.SUCCESS, created)));
    assertThat(finalized.amendments())
        .containsExactly(new FinalizeResult.Amendment("a1", "never flushed"));
  }

  @Test
  void aPluginWithoutACompensatorAnswersUnimplemented() {
    ResourceType plain = ResourceType.builder("plain").operations(Operation.values()).build();
    plugin =
        InProcessPlugin.start(
            CompensaPlugin.builder()
                .name("plain")
                .version("1")
                .resource(plain, config -> new MemoDriver("p/"))
                .build());

    assertThatThrownBy(
            () ->
                plugin.compensate(
                    new CompensationRequest(
                        "a1",
                        ActionKind.CREATE,
                        ResourceSpec.of("n", "plain", Map.of()),
                        ResourceOutput.of("p/n"),
                        Optional.empty(),
                        "hook failed")))
        .isInstanceOfSatisfying(
            DriverCallFailure.class,
            failure -> {
              assertThat(failure.code()).isEqualTo(Status.Code.UNIMPLEMENTED);
              assertThat(failure.hasDriverError()).isFalse();
            });
  }

  @Test
  void aConfigurationTheDriverFactoryRefusesFailsTheStartWithTheFactorysMessage() {
    assertThatThrownBy(() -> InProcessPlugin.start(memoPlugin(), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the driver of resource type \"memo\" could not be made: set \"prefix\"");
  }

  @Test
  void aDriverThatNeverAnswersFailsTheCallAtItsDeadline() {
    InProcessPlugin impatient = start().withDeadline(Duration.ofMillis(200));

    assertThatThrownBy(() -> impatient.create("a1", failing("hang")))
        .isInstanceOfSatisfying(
            DriverCallFailure.class,
            failure -> assertThat(failure.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
    assertThatThrownBy(() -> impatient.withDeadline(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
