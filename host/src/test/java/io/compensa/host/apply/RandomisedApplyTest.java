package io.compensa.host.apply;

import static io.compensa.host.testing.PluginWorld.create;
import static io.compensa.host.testing.PluginWorld.plan;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.compensa.host.testing.PluginWorld;
import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.PlanAction;
import io.compensa.proto.v1.ResourceState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generated plans with failures injected at random points (driver errors, hook failures, failures
 * of the compensating calls) and a random failure policy and parallelism, applied through the real
 * scenario plugin. After every apply: invariant 1 holds, and the state matches the world.
 *
 * <p>The seed comes from {@code -Dcompensa.seed=N} or the clock; it is printed, and every assertion
 * message carries it, so a failure can be replayed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RandomisedApplyTest {
  private static final int PLANS = Integer.getInteger("compensa.plans", 40);
  private static final String[] TYPES = {"t_inverse", "t_none", "t_plugin"};

  @TempDir static Path dir;
  private PluginWorld world;

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

  /** What was injected and what came out, for the printed summary. */
  private static final class Tally {
    int applies;
    int actions;
    final Map<String, Integer> injections = new TreeMap<>();
    final Map<ActionStatus, Integer> statuses = new EnumMap<>(ActionStatus.class);
    final Map<ActionKind, Integer> kinds = new EnumMap<>(ActionKind.class);
    final Map<FailurePolicy, Integer> policies = new EnumMap<>(FailurePolicy.class);

    void inject(String kind) {
      injections.merge(kind, 1, Integer::sum);
    }
  }

  @Test
  void invariantOneAndStateMatchesWorldAfterEveryRandomApply() throws Exception {
    long seed = Long.getLong("compensa.seed", System.currentTimeMillis());
    System.out.println(
        "RandomisedApplyTest: seed " + seed + " (replay with -Dcompensa.seed=" + seed + ")");
    Random random = new Random(seed);
    Tally tally = new Tally();
    for (int n = 1; n <= PLANS; n++) {
      String prefix = "r" + n + "_";
      Path stateFile = world.newStateFile("random-" + n);

      // apply 1: creates, some depending on earlier ones
      List<PlanAction> creates = new ArrayList<>();
      List<String> names = new ArrayList<>();
      int count = 2 + random.nextInt(5);
      for (int i = 0; i < count; i++) {
        String name = prefix + i;
        List<String> deps = new ArrayList<>();
        for (String earlier : names) {
          if (random.nextInt(4) == 0) {
            deps.add(earlier);
          }
        }
        creates.add(
            create(name, TYPES[random.nextInt(TYPES.length)], "v0", deps.toArray(String[]::new)));
        names.add(name);
      }
      applyAndCheck(seed, n, 1, random, tally, stateFile, prefix, shuffled(random, creates));

      // apply 2: updates, deletes and replaces of what the state holds, and a few new creates
      Map<String, ResourceState> entries = PluginWorld.entries(stateFile);
      Map<String, ActionKind> chosen = new LinkedHashMap<>();
      for (ResourceState entry : entries.values()) {
        int pick = random.nextInt(4);
        if (pick == 1) {
          chosen.put(entry.getName(), ActionKind.ACTION_KIND_UPDATE);
        } else if (pick == 2) {
          chosen.put(entry.getName(), ActionKind.ACTION_KIND_DELETE);
        } else if (pick == 3) {
          chosen.put(entry.getName(), ActionKind.ACTION_KIND_REPLACE);
        }
      }
      // whatever depends on a deleted resource is deleted too, as a planner would
      boolean changed = true;
      while (changed) {
        changed = false;
        for (ResourceState entry : entries.values()) {
          if (chosen.get(entry.getName()) == ActionKind.ACTION_KIND_DELETE) {
            continue;
          }
          for (String dep : entry.getDependsOnList()) {
            if (chosen.get(dep) == ActionKind.ACTION_KIND_DELETE) {
              chosen.put(entry.getName(), ActionKind.ACTION_KIND_DELETE);
              changed = true;
              break;
            }
          }
        }
      }
      List<PlanAction> second = new ArrayList<>();
      chosen.forEach(
          (name, kind) -> {
            ResourceState current = entries.get(name);
            String idPrefix = kind.name().substring(12).toLowerCase() + "-";
            second.add(
                PluginWorld.change(
                    idPrefix,
                    kind,
                    current,
                    kind == ActionKind.ACTION_KIND_DELETE
                        ? current.getConfig()
                        : PluginWorld.config("v1")));
          });
      List<String> survivors = new ArrayList<>();
      entries.keySet().stream()
          .filter(e -> chosen.get(e) != ActionKind.ACTION_KIND_DELETE)
          .forEach(survivors::add);
      int extra = random.nextInt(3);
      for (int i = 0; i < extra; i++) {
        String name = prefix + "new" + i;
        String[] deps =
            survivors.isEmpty() || random.nextBoolean()
                ? new String[0]
                : new String[] {survivors.get(random.nextInt(survivors.size()))};
        second.add(create(name, TYPES[random.nextInt(TYPES.length)], "v1", deps));
      }
      applyAndCheck(seed, n, 2, random, tally, stateFile, prefix, shuffled(random, second));
    }
    System.out.println(
        "RandomisedApplyTest: seed "
            + seed
            + ", "
            + PLANS
            + " plans, "
            + tally.applies
            + " applies, "
            + tally.actions
            + " actions "
            + tally.kinds
            + ", injections "
            + tally.injections
            + " (total "
            + tally.injections.values().stream().mapToInt(Integer::intValue).sum()
            + "), policies "
            + tally.policies
            + ", outcomes "
            + tally.statuses);
  }

  private static <T> List<T> shuffled(Random random, List<T> list) {
    List<T> copy = new ArrayList<>(list);
    java.util.Collections.shuffle(copy, random);
    return copy;
  }

  private void applyAndCheck(
      long seed,
      int n,
      int round,
      Random random,
      Tally tally,
      Path stateFile,
      String prefix,
      List<PlanAction> actions)
      throws Exception {
    List<String> fail = new ArrayList<>();
    List<String> failingHooks = new ArrayList<>();
    for (PlanAction action : actions) {
      String name = action.getResource().getName();
      String type = action.getResource().getType();
      ActionKind kind = action.getKind();
      int roll = random.nextInt(20);
      if (roll < 2) {
        // the driver call fails
        String call =
            kind == ActionKind.ACTION_KIND_CREATE
                ? "Create"
                : kind == ActionKind.ACTION_KIND_UPDATE
                    ? "Update"
                    : kind == ActionKind.ACTION_KIND_DELETE
                        ? "Delete"
                        : random.nextBoolean() ? "Delete" : "Create"; // either half of a replace
        fail.add(call + ":" + name);
        tally.inject("driver error");
      } else if (roll < 5) {
        failingHooks.add(name);
        tally.inject("hook failure");
      }
      if (random.nextInt(4) == 0 && !type.equals("t_none")) {
        // the compensation of this action, if one happens (after a hook failure or in a rollback),
        // fails
        String call =
            type.equals("t_plugin")
                ? "Compensate"
                : kind == ActionKind.ACTION_KIND_CREATE
                    ? "DeleteInverse"
                    : kind == ActionKind.ACTION_KIND_UPDATE
                        ? "UpdateInverse"
                        : kind == ActionKind.ACTION_KIND_DELETE
                            ? "CreateInverse"
                            : random.nextBoolean() ? "DeleteInverse" : "CreateInverse";
        fail.add(call + ":" + name);
        tally.inject("compensation failure");
      }
    }
    FailurePolicy policy = FailurePolicy.values()[random.nextInt(FailurePolicy.values().length)];
    int parallelism = 1 + random.nextInt(3);
    Plan plan = plan("random-" + n + "-" + round, actions.toArray(PlanAction[]::new));
    String why =
        "seed "
            + seed
            + ", plan "
            + plan.getId()
            + ", policy "
            + policy
            + ", parallelism "
            + parallelism
            + ", injected "
            + fail
            + ", failing hooks "
            + failingHooks;
    Map<String, String> before = byName(world.world(prefix), why);
    world.inject(Map.of("fail", fail));
    ApplyResult result;
    try {
      result =
          world.apply(
              stateFile, plan, PluginWorld.options(policy, parallelism, failingHooks).build());
    } finally {
      world.inject(Map.of());
    }
    tally.applies++;
    tally.actions += actions.size();
    tally.policies.merge(policy, 1, Integer::sum);
    actions.forEach(a -> tally.kinds.merge(a.getKind(), 1, Integer::sum));

    // invariant 1: exactly one outcome per action, in plan order, none UNSPECIFIED
    assertThat(result.outcomes()).as(why).hasSize(actions.size());
    for (int i = 0; i < actions.size(); i++) {
      ActionOutcome outcome = result.outcomes().get(i);
      assertThat(outcome.getActionId()).as(why).isEqualTo(actions.get(i).getId());
      assertThat(outcome.getStatus())
          .as(why + ": " + outcome)
          .isNotIn(ActionStatus.ACTION_STATUS_UNSPECIFIED, ActionStatus.UNRECOGNIZED);
      tally.statuses.merge(outcome.getStatus(), 1, Integer::sum);
    }
    assertThat(world.finalized(plan.getId())).as("FinalizeApply ran: " + why).isNotNull();

    // the state matches the world
    Map<String, JsonObject> files = world.world(prefix);
    Map<String, ResourceState> entries = PluginWorld.entries(stateFile);
    String picture =
        why
            + "\n  outcomes: "
            + summary(result)
            + "\n  world: "
            + files
            + "\n  state: "
            + entriesSummary(entries);
    Set<String> recordedIds = new TreeSet<>();
    for (ResourceState entry : entries.values()) {
      String id = entry.getOutput().getProviderId();
      recordedIds.add(id);
      // flagged or not, the record names something that exists with the recorded config
      assertThat(files)
          .as("state entry " + entry.getName() + " (" + id + ") exists in the world: " + picture)
          .containsKey(id);
      String value = files.get(id).get("value").getAsString();
      assertThat(entry.getConfig())
          .as("state entry " + entry.getName() + " has the world's config: " + picture)
          .isEqualTo(PluginWorld.config(value));
    }
    for (String file : files.keySet()) {
      assertThat(recordedIds)
          .as("world file " + file + " is recorded in the state: " + picture)
          .contains(file);
    }
    // after a rollback, the world is as before the apply except exactly what COMPENSATION_FAILED
    // outcomes name (and a half-replaced ERROR, which the outcome table in docs/compensation.md
    // leaves with nothing)
    if (policy == FailurePolicy.ROLLBACK
        && result.outcomes().stream().anyMatch(o -> !ApplyRun.reached(o))) {
      Set<String> excepted = new TreeSet<>();
      for (ActionOutcome outcome : result.outcomes()) {
        assertThat(outcome.getStatus())
            .as("after a rollback nothing stays SUCCESS: " + picture)
            .isNotEqualTo(ActionStatus.ACTION_STATUS_SUCCESS);
        if (outcome.getStatus() == ActionStatus.ACTION_STATUS_COMPENSATION_FAILED
            || (outcome.getStatus() == ActionStatus.ACTION_STATUS_ERROR
                && outcome.getDriverError().contains("half-replaced"))
            || (outcome.getStatus() == ActionStatus.ACTION_STATUS_ERROR
                && outcome.hasCompensation()
                && outcome.getCompensation().getResult()
                    == ActionStatus.ACTION_STATUS_COMPENSATION_FAILED)) {
          excepted.add(outcome.getResourceName());
        }
      }
      Map<String, String> after = byName(files, picture);
      Map<String, String> expected = new TreeMap<>(before);
      expected.keySet().removeAll(excepted);
      after.keySet().removeAll(excepted);
      assertThat(after)
          .as(
              "after a rollback the world (by name and config) is as before, except "
                  + excepted
                  + ": "
                  + picture)
          .isEqualTo(expected);
    }
  }

  /**
   * The world by resource name (provider ids are {@code <name>-<8 hex>}) → its value; one file per
   * name.
   */
  private static Map<String, String> byName(Map<String, JsonObject> files, String why) {
    Map<String, String> byName = new TreeMap<>();
    files.forEach(
        (id, content) -> {
          String name = id.substring(0, id.lastIndexOf('-'));
          String earlier = byName.put(name, content.get("value").getAsString());
          assertThat(earlier).as("two world files for " + name + ": " + why + " " + files).isNull();
        });
    return byName;
  }

  private static String summary(ApplyResult result) {
    StringBuilder text = new StringBuilder();
    for (ActionOutcome outcome : result.outcomes()) {
      text.append("\n    ")
          .append(outcome.getActionId())
          .append(' ')
          .append(outcome.getStatus().name().substring(14))
          .append(outcome.getDriverError().isEmpty() ? "" : " driver: " + outcome.getDriverError())
          .append(outcome.getHookError().isEmpty() ? "" : " hook: " + outcome.getHookError())
          .append(
              outcome.hasCompensation()
                  ? " compensation: "
                      + outcome.getCompensation().getCall()
                      + " "
                      + outcome.getCompensation().getDetail()
                  : "")
          .append(outcome.getSkipReason().isEmpty() ? "" : " skipped: " + outcome.getSkipReason());
    }
    return text.toString();
  }

  private static String entriesSummary(Map<String, ResourceState> entries) {
    StringBuilder text = new StringBuilder();
    for (ResourceState entry : entries.values()) {
      text.append("\n    ")
          .append(entry.getName())
          .append(' ')
          .append(entry.getOutput().getProviderId())
          .append(' ')
          .append(entry.getConfig().getFieldsMap().get("value").getStringValue())
          .append(
              entry.getNeedsAttention() ? " needs-attention: " + entry.getAttentionReason() : "")
          .append(entry.getTainted() ? " tainted" : "");
    }
    return text.toString();
  }
}
