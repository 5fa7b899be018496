package io.compensa.host.apply;

import static io.compensa.host.testing.PluginWorld.create;
import static io.compensa.host.testing.PluginWorld.delete;
import static io.compensa.host.testing.PluginWorld.options;
import static io.compensa.host.testing.PluginWorld.plan;
import static io.compensa.host.testing.PluginWorld.replace;
import static io.compensa.host.testing.PluginWorld.update;
import static io.compensa.host.testing.PluginWorld.worldJson;
import static org.assertj.core.api.Assertions.assertThat;

import io.compensa.host.testing.PluginWorld;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.ResourceState;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replace-with-rollback: a type that declares {@code create_before_delete} (the scenario plugin's
 * {@code t_cbd}, HOST_INVERSE) creates the new object, runs the post-driver steps on it while the
 * old one still serves, lets its dependents move to it, and deletes the old one last. Each row of
 * docs/compensation.md for it, through the real scenario plugin process; the world is its files.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CreateBeforeDeleteTest {
  @TempDir static Path dir;
  private PluginWorld world;

  /** How many objects of a resource the world held when a hook saw an action, by resource name. */
  private final Map<String, Integer> objectsAtHook = new ConcurrentHashMap<>();

  @BeforeAll
  void launch() throws Exception {
    world = PluginWorld.launch(dir, true, false);
  }

  @AfterAll
  void stop() {
    if (world != null) {
      world.close();
    }
  }

  @BeforeEach
  void noInjection() {
    world.inject(Map.of());
    objectsAtHook.clear();
  }

  /**
   * Options whose hook fails for {@code failing} and counts {@code watched}'s objects each time.
   */
  private ApplyOptions options(FailurePolicy policy, String watched, String... failing) {
    return PluginWorld.options(policy, 2, List.of(failing))
        .hook(
            context ->
                objectsAtHook.put(context.action().getResource().getName(), objects(watched)))
        .build();
  }

  /**
   * How many objects of {@code name} the world holds. Another action may be writing a file of the
   * world meanwhile (the plugin writes in place), so a read that finds a file half-written is tried
   * again: the counting hook itself must never be what fails an action.
   */
  private int objects(String name) {
    RuntimeException last = null;
    for (int attempt = 0; attempt < 50; attempt++) {
      try {
        return world.worldOf(name).size();
      } catch (RuntimeException racing) {
        last = racing;
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    throw new IllegalStateException("the world could not be read", last);
  }

  /** Creates key {@code k} (t_cbd, "v1") and, when given, consumer {@code c} depending on it. */
  private Map<String, ResourceState> seed(Path state, String k, String c) throws Exception {
    var seed =
        c == null
            ? plan("seed-" + k, create(k, "t_cbd", "v1"))
            : plan("seed-" + k, create(k, "t_cbd", "v1"), create(c, "t_inverse", "uses-v1", k));
    ApplyResult seeded = world.apply(state, seed, options(FailurePolicy.STOP, k));
    assertThat(seeded.outcomes())
        .allSatisfy(o -> assertThat(o.getStatus()).isEqualTo(ActionStatus.ACTION_STATUS_SUCCESS));
    return PluginWorld.entries(state);
  }

  private static ActionOutcome outcome(ApplyResult result, String name) {
    return result.outcomes().stream()
        .filter(o -> o.getResourceName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void theNewObjectIsCreatedAndCheckedWhileTheOldServesThenTheOldIsDeleted() throws Exception {
    Path state = world.newStateFile("cbd-ok");
    ResourceState old = seed(state, "k1", null).get("k1");

    ApplyResult result =
        world.apply(state, plan("r1", replace(old, "v2")), options(FailurePolicy.STOP, "k1"));

    assertThat(outcome(result, "k1").getStatus()).isEqualTo(ActionStatus.ACTION_STATUS_SUCCESS);
    // the hooks ran on the new object while the old one still existed
    assertThat(objectsAtHook).containsEntry("k1", 2);
    ResourceState now = PluginWorld.entries(state).get("k1");
    assertThat(now.getOutput().getProviderId()).isNotEqualTo(old.getOutput().getProviderId());
    assertThat(now.getDeposedList()).isEmpty();
    assertThat(now.getNeedsAttention()).isFalse();
    assertThat(world.worldOf("k1"))
        .containsExactly(Map.entry(now.getOutput().getProviderId(), worldJson("v2")));
  }

  @Test
  void aHookFailureOnTheNewObjectDeletesItAndTheOldStaysUntouched() throws Exception {
    Path state = world.newStateFile("cbd-hook");
    ResourceState old = seed(state, "k2", null).get("k2");

    ApplyResult result =
        world.apply(state, plan("r2", replace(old, "v2")), options(FailurePolicy.STOP, "k2", "k2"));

    ActionOutcome k2 = outcome(result, "k2");
    assertThat(k2.getStatus()).isEqualTo(ActionStatus.ACTION_STATUS_COMPENSATED);
    assertThat(k2.getHookError()).contains("smoke test failed for k2");
    assertThat(k2.getCompensation().getDetail())
        .contains("deleted the created resource")
        .contains("the old resource " + old.getOutput().getProviderId() + " was never touched");
    // the old object, its provider id and its content, exactly as before
    assertThat(PluginWorld.entries(state).get("k2")).isEqualTo(old);
    assertThat(world.worldOf("k2"))
        .containsExactly(Map.entry(old.getOutput().getProviderId(), worldJson("v1")));
  }

  @Test
  void theOldObjectIsDeletedOnlyAfterItsDependentsMovedToTheNewOne() throws Exception {
    Path state = world.newStateFile("cbd-dependents");
    Map<String, ResourceState> seeded = seed(state, "k3", "c3");

    ApplyResult result =
        world.apply(
            state,
            plan("r3", replace(seeded.get("k3"), "v2"), update(seeded.get("c3"), "uses-v2")),
            options(FailurePolicy.STOP, "k3"));

    assertThat(result.outcomes())
        .extracting(ActionOutcome::getStatus)
        .containsOnly(ActionStatus.ACTION_STATUS_SUCCESS);
    // when the consumer moved, both objects of the key existed
    assertThat(objectsAtHook).containsEntry("c3", 2);
    ResourceState k3 = PluginWorld.entries(state).get("k3");
    assertThat(k3.getDeposedList()).isEmpty();
    assertThat(world.worldOf("k3")).containsOnlyKeys(k3.getOutput().getProviderId());
  }

  @Test
  void whenNoDependentMovedTheNewObjectIsDeletedAndTheOldStaysEvenWithoutRollback()
      throws Exception {
    Path state = world.newStateFile("cbd-none-moved");
    Map<String, ResourceState> seeded = seed(state, "k4", "c4");
    ResourceState oldKey = seeded.get("k4");

    ApplyResult result =
        world.apply(
            state,
            plan("r4", replace(oldKey, "v2"), update(seeded.get("c4"), "uses-v2")),
            options(FailurePolicy.STOP, "k4", "c4"));

    assertThat(outcome(result, "c4").getStatus()).isEqualTo(ActionStatus.ACTION_STATUS_COMPENSATED);
    ActionOutcome k4 = outcome(result, "k4");
    assertThat(k4.getStatus()).isEqualTo(ActionStatus.ACTION_STATUS_COMPENSATED);
    assertThat(k4.getCompensation().getDetail())
        .startsWith(
            "\"c4\", which depends on \"k4\", ended COMPENSATED, so nothing moved to the new"
                + " object and the old one stays in use: deleted the created resource")
        .contains("was never touched");
    assertThat(PluginWorld.entries(state).get("k4")).isEqualTo(oldKey);
    assertThat(world.worldOf("k4"))
        .containsExactly(Map.entry(oldKey.getOutput().getProviderId(), worldJson("v1")));
  }

  @Test
  void whenSomeDependentsMovedAndOneDidNotBothObjectsStayRecorded() throws Exception {
    Path state = world.newStateFile("cbd-stuck");
    Map<String, ResourceState> seeded = seed(state, "k7", "c7");
    assertThat(
            world
                .apply(
                    state,
                    plan("seed-d7", create("d7", "t_inverse", "uses-v1", "k7")),
                    options(FailurePolicy.STOP, "k7"))
                .allSucceeded())
        .isTrue();
    ResourceState second = PluginWorld.entries(state).get("d7");
    String oldId = seeded.get("k7").getOutput().getProviderId();

    ApplyResult result =
        world.apply(
            state,
            plan(
                "r7",
                replace(seeded.get("k7"), "v2"),
                update(seeded.get("c7"), "uses-v2"),
                update(second, "uses-v2")),
            options(FailurePolicy.CONTINUE, "k7", "d7"));

    assertThat(outcome(result, "c7").getStatus()).isEqualTo(ActionStatus.ACTION_STATUS_SUCCESS);
    assertThat(outcome(result, "d7").getStatus()).isEqualTo(ActionStatus.ACTION_STATUS_COMPENSATED);
    ActionOutcome k7 = outcome(result, "k7");
    assertThat(k7.getStatus()).isEqualTo(ActionStatus.ACTION_STATUS_ERROR);
    assertThat(k7.getDriverError())
        .contains("the old object " + oldId + " was kept")
        .contains("\"d7\", which depends on \"k7\", ended COMPENSATED and may still use it")
        .contains("stays recorded beside the new object");
    ResourceState k7Now = PluginWorld.entries(state).get("k7");
    assertThat(k7Now.getNeedsAttention()).isTrue();
    assertThat(k7Now.getDeposedList())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.getActionId()).isEqualTo("replace-k7");
              assertThat(d.getState().getOutput().getProviderId()).isEqualTo(oldId);
              assertThat(d.getState().getNeedsAttention()).isTrue();
            });
    // both objects exist, and both are recorded
    assertThat(world.worldOf("k7")).containsOnlyKeys(oldId, k7Now.getOutput().getProviderId());
  }

  @Test
  void aDependentThatDidNotMoveTwoLinksDownKeepsTheOldObjectToo() throws Exception {
    // k8 <- m8 <- c8: m8 moves to the new object, c8 (depending on k8 only through m8) does not
    Path state = world.newStateFile("cbd-transitive");
    ApplyResult seeded =
        world.apply(
            state,
            plan(
                "seed-k8",
                create("k8", "t_cbd", "v1"),
                create("m8", "t_inverse", "uses-v1", "k8"),
                create("c8", "t_inverse", "uses-v1", "m8")),
            options(FailurePolicy.STOP, "k8"));
    assertThat(seeded.allSucceeded()).isTrue();
    Map<String, ResourceState> entries = PluginWorld.entries(state);
    String oldId = entries.get("k8").getOutput().getProviderId();

    ApplyResult result =
        world.apply(
            state,
            plan(
                "r8",
                replace(entries.get("k8"), "v2"),
                update(entries.get("m8"), "uses-v2"),
                update(entries.get("c8"), "uses-v2")),
            options(FailurePolicy.CONTINUE, "k8", "c8"));

    assertThat(outcome(result, "m8").getStatus()).isEqualTo(ActionStatus.ACTION_STATUS_SUCCESS);
    assertThat(outcome(result, "c8").getStatus()).isEqualTo(ActionStatus.ACTION_STATUS_COMPENSATED);
    ActionOutcome k8 = outcome(result, "k8");
    assertThat(k8.getStatus()).isEqualTo(ActionStatus.ACTION_STATUS_ERROR);
    assertThat(k8.getDriverError())
        .contains("the old object " + oldId + " was kept")
        .contains("\"c8\", which depends on \"k8\", ended COMPENSATED and may still use it");
    ResourceState k8Now = PluginWorld.entries(state).get("k8");
    assertThat(world.worldOf("k8")).containsOnlyKeys(oldId, k8Now.getOutput().getProviderId());
  }

  @Test
  void underRollbackTheDependentsMoveBackAndTheNewObjectIsDeletedTheOldNeverStopping()
      throws Exception {
    Path state = world.newStateFile("cbd-rollback");
    Map<String, ResourceState> seeded = seed(state, "k5", "c5");
    ResourceState oldKey = seeded.get("k5");

    ApplyResult result =
        world.apply(
            state,
            plan("r5", replace(oldKey, "v2"), update(seeded.get("c5"), "uses-v2")),
            options(FailurePolicy.ROLLBACK, "k5", "c5"));

    assertThat(outcome(result, "c5").getStatus()).isEqualTo(ActionStatus.ACTION_STATUS_COMPENSATED);
    ActionOutcome k5 = outcome(result, "k5");
    assertThat(k5.getStatus()).isEqualTo(ActionStatus.ACTION_STATUS_COMPENSATED);
    assertThat(k5.getCompensation().getDetail())
        .startsWith("rollback: deleted the created resource")
        .contains("was never touched");
    Map<String, ResourceState> now = PluginWorld.entries(state);
    assertThat(now.get("k5")).isEqualTo(oldKey);
    assertThat(now.get("c5").getConfig()).isEqualTo(seeded.get("c5").getConfig());
    assertThat(world.worldOf("k5"))
        .containsExactly(Map.entry(oldKey.getOutput().getProviderId(), worldJson("v1")));
    assertThat(world.worldOf("c5").values()).containsExactly(worldJson("uses-v1"));
  }

  @Test
  void aDeferredDeleteThatFailsLeavesBothObjectsRecordedAndDeletingTheResourceRemovesBoth()
      throws Exception {
    Path state = world.newStateFile("cbd-delete-fails");
    ResourceState old = seed(state, "k6", null).get("k6");
    world.inject("Delete:k6");

    ApplyResult result =
        world.apply(state, plan("r6", replace(old, "v2")), options(FailurePolicy.STOP, "k6"));

    ActionOutcome k6 = outcome(result, "k6");
    assertThat(k6.getStatus()).isEqualTo(ActionStatus.ACTION_STATUS_ERROR);
    assertThat(k6.getDriverError())
        .contains("the deferred Delete of the old object " + old.getOutput().getProviderId())
        .contains("injected failure of Delete for k6");
    ResourceState both = PluginWorld.entries(state).get("k6");
    assertThat(both.getNeedsAttention()).isTrue();
    assertThat(both.getDeposedList())
        .singleElement()
        .satisfies(
            d ->
                assertThat(d.getState().getOutput().getProviderId())
                    .isEqualTo(old.getOutput().getProviderId()));
    assertThat(world.worldOf("k6")).hasSize(2);

    world.inject(Map.of());
    ApplyResult deleted =
        world.apply(state, plan("d6", delete(both)), options(FailurePolicy.STOP, "k6"));

    assertThat(outcome(deleted, "k6").getStatus()).isEqualTo(ActionStatus.ACTION_STATUS_SUCCESS);
    assertThat(world.worldOf("k6")).isEmpty();
    assertThat(PluginWorld.entries(state)).doesNotContainKey("k6");
  }
}
