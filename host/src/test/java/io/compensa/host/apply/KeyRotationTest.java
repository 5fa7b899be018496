package io.compensa.host.apply;

import static io.compensa.host.testing.PluginWorld.change;
import static io.compensa.host.testing.PluginWorld.create;
import static io.compensa.host.testing.PluginWorld.plan;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.compensa.host.testing.PluginWorld;
import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.ResourceState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Access-key rotation in the credentials sample, through its real plugin process: raising a key's
 * {@code rotation} replaces it create-before-delete; the applications bound to it ({@code
 * cred_key_binding}) move to the new key; the old key is deleted only after every one of them
 * moved, and when one cannot move they all go back and the new key is deleted. The old key works
 * (exists in the cloud) at every step, and its secret is never overwritten.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyRotationTest {
  @TempDir static Path dir;
  private PluginWorld world;

  /** Whether the old key existed in the cloud each time a hook saw an action. */
  private final Set<String> oldKeyMissingAt = ConcurrentHashMap.newKeySet();

  private final Map<String, Integer> hooksSeen = new ConcurrentHashMap<>();

  @BeforeAll
  void launch() throws Exception {
    world = PluginWorld.launch(dir, false, true);
  }

  @AfterAll
  void stop() {
    if (world != null) {
      world.close();
    }
  }

  @BeforeEach
  void cleanCloud() throws Exception {
    Files.deleteIfExists(world.cloudFile());
    oldKeyMissingAt.clear();
    hooksSeen.clear();
  }

  private static Struct config(Map<String, Object> values) {
    Struct.Builder struct = Struct.newBuilder();
    values.forEach(
        (key, value) ->
            struct.putFields(
                key,
                value instanceof Number n
                    ? Value.newBuilder().setNumberValue(n.doubleValue()).build()
                    : Value.newBuilder().setStringValue(value.toString()).build()));
    return struct.build();
  }

  private static Struct key(int rotation) {
    return config(Map.of("user", "alice", "rotation", rotation));
  }

  private static Struct binding(String app, int rotation) {
    return config(Map.of("app", app, "user", "alice", "rotation", rotation));
  }

  /** Options whose hook checks, for every action, that {@code oldKey} is still in the cloud. */
  private ApplyOptions options(FailurePolicy policy, String oldKey) {
    return PluginWorld.options(policy, 2, List.of())
        .hook(
            context -> {
              String name = context.action().getResource().getName();
              hooksSeen.merge(name, 1, Integer::sum);
              if (oldKey != null && !keys().contains(oldKey)) {
                oldKeyMissingAt.add(name);
              }
            })
        .build();
  }

  private Set<String> keys() {
    try {
      return world.cloud().getAsJsonObject("keys").keySet();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private JsonObject bindings() throws Exception {
    JsonObject cloud = world.cloud();
    return cloud.has("bindings") ? cloud.getAsJsonObject("bindings") : new JsonObject();
  }

  private Map<String, String> secrets(Path state) throws Exception {
    Path file = PluginWorld.secretsFile(state);
    if (!Files.exists(file)) {
      return Map.of();
    }
    return new Gson().fromJson(Files.readString(file), Map.class);
  }

  private Map<String, ResourceState> seed(Path state) throws Exception {
    ApplyResult seeded =
        world.apply(
            state,
            plan(
                "seed",
                create("k", "cred_access_key", key(0)),
                create("billing", "cred_key_binding", binding("billing", 0), "k"),
                create("reports", "cred_key_binding", binding("reports", 0), "k")),
            options(FailurePolicy.STOP, null));
    assertThat(seeded.allSucceeded()).as(seeded.outcomes().toString()).isTrue();
    return PluginWorld.entries(state);
  }

  private ApplyResult rotate(Path state, Map<String, ResourceState> seeded, FailurePolicy policy)
      throws Exception {
    String oldKey = seeded.get("k").getOutput().getProviderId();
    return world.apply(
        state,
        plan(
            "rotate",
            change("rotate-", ActionKind.ACTION_KIND_REPLACE, seeded.get("k"), key(1)),
            change(
                "move-",
                ActionKind.ACTION_KIND_UPDATE,
                seeded.get("billing"),
                binding("billing", 1)),
            change(
                "move-",
                ActionKind.ACTION_KIND_UPDATE,
                seeded.get("reports"),
                binding("reports", 1))),
        options(policy, oldKey));
  }

  private static ActionOutcome outcome(ApplyResult result, String name) {
    return result.outcomes().stream()
        .filter(o -> o.getResourceName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aRotationMovesEveryApplicationToTheNewKeyBeforeTheOldOneIsDeleted() throws Exception {
    Path state = world.newStateFile("rotation-ok");
    Map<String, ResourceState> seeded = seed(state);
    String oldKey = seeded.get("k").getOutput().getProviderId();
    String oldSecretRef =
        seeded.get("k").getOutput().getOutputs().getFieldsOrThrow("secret").getStringValue();

    ApplyResult result = rotate(state, seeded, FailurePolicy.STOP);

    assertThat(result.allSucceeded()).as(result.outcomes().toString()).isTrue();
    String newKey = PluginWorld.entries(state).get("k").getOutput().getProviderId();
    assertThat(newKey).isNotEqualTo(oldKey);
    // both applications moved while the old key still worked; it is gone only now
    assertThat(hooksSeen).containsKeys("billing", "reports");
    assertThat(oldKeyMissingAt).isEmpty();
    assertThat(keys()).containsExactly(newKey);
    assertThat(bindings().get("billing").getAsString()).isEqualTo(newKey);
    assertThat(bindings().get("reports").getAsString()).isEqualTo(newKey);
    assertThat(PluginWorld.entries(state).get("k").getDeposedList()).isEmpty();
    // the new key's secret is kept beside (not over) the old one's until the old key is gone
    Map<String, String> secrets = secrets(state);
    assertThat(secrets).doesNotContainKey(oldSecretRef).hasSize(1);
  }

  @Test
  void whenOneApplicationCannotMoveAllGoBackAndTheNewKeyIsDeletedTheOldNeverStopping()
      throws Exception {
    Path state = world.newStateFile("rotation-fails");
    Map<String, ResourceState> seeded = seed(state);
    String oldKey = seeded.get("k").getOutput().getProviderId();
    Map<String, String> secretsBefore = secrets(state);
    JsonObject cloud = world.cloud();
    JsonObject faults = new JsonObject();
    JsonArray failing = new JsonArray();
    failing.add("reports");
    faults.add("binding_fail", failing);
    cloud.add("faults", faults);
    Files.writeString(world.cloudFile(), new Gson().toJson(cloud));

    ApplyResult result = rotate(state, seeded, FailurePolicy.ROLLBACK);

    assertThat(outcome(result, "reports").getStatus()).isEqualTo(ActionStatus.ACTION_STATUS_ERROR);
    assertThat(outcome(result, "reports").getDriverError()).contains("cannot be written");
    assertThat(outcome(result, "billing").getStatus())
        .isEqualTo(ActionStatus.ACTION_STATUS_COMPENSATED);
    ActionOutcome k = outcome(result, "k");
    assertThat(k.getStatus()).isEqualTo(ActionStatus.ACTION_STATUS_COMPENSATED);
    assertThat(k.getCompensation().getDetail()).contains("was never touched");
    // the old key worked at every step and is the only key; both applications use it
    assertThat(oldKeyMissingAt).isEmpty();
    assertThat(keys()).containsExactly(oldKey);
    assertThat(bindings().get("billing").getAsString()).isEqualTo(oldKey);
    assertThat(bindings().get("reports").getAsString()).isEqualTo(oldKey);
    assertThat(PluginWorld.entries(state).get("k")).isEqualTo(seeded.get("k"));
    // the old key's secret is the one stored before; the deleted key's is gone
    assertThat(secrets(state)).isEqualTo(secretsBefore);
  }

  @Test
  void aSingleApplicationThatCannotMoveUndoesTheRotationWithoutRollback() throws Exception {
    Path state = world.newStateFile("rotation-one-app");
    ApplyResult seeded =
        world.apply(
            state,
            plan(
                "seed",
                create("k", "cred_access_key", key(0)),
                create("billing", "cred_key_binding", binding("billing", 0), "k")),
            options(FailurePolicy.STOP, null));
    assertThat(seeded.allSucceeded()).isTrue();
    Map<String, ResourceState> records = PluginWorld.entries(state);
    String oldKey = records.get("k").getOutput().getProviderId();
    JsonObject cloud = world.cloud();
    cloud.add("faults", JsonParser.parseString("{\"binding_fail\": [\"billing\"]}"));
    Files.writeString(world.cloudFile(), new Gson().toJson(cloud));

    ApplyResult result =
        world.apply(
            state,
            plan(
                "rotate-one",
                change("rotate-", ActionKind.ACTION_KIND_REPLACE, records.get("k"), key(1)),
                change(
                    "move-",
                    ActionKind.ACTION_KIND_UPDATE,
                    records.get("billing"),
                    binding("billing", 1))),
            options(FailurePolicy.STOP, oldKey));

    assertThat(outcome(result, "k").getStatus()).isEqualTo(ActionStatus.ACTION_STATUS_COMPENSATED);
    assertThat(keys()).containsExactly(oldKey);
    assertThat(bindings().get("billing").getAsString()).isEqualTo(oldKey);
  }
}
