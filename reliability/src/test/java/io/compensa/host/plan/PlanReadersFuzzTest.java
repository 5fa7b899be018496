package io.compensa.host.plan;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.compensa.proto.v1.Operation;
import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.ResourceType;
import io.compensa.reliability.FuzzFiles;
import io.compensa.reliability.Refusals;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Plan files ({@code compensa apply PLAN}) and desired resources files ({@code compensa plan}):
 * read from a real file, they are either accepted or refused with {@link InvalidPlanException}
 * naming the file; an accepted plan is either refused by {@link PlanValidator} naming the action,
 * resource or plan, or its action graph orders every action after its prerequisites.
 */
class PlanReadersFuzzTest {
  /** The localfs plugin's types: files support every operation, directories no update. */
  private static final Map<String, ResourceType> TYPES =
      Map.of(
          "localfs_file",
          ResourceType.newBuilder()
              .setName("localfs_file")
              .addOperations(Operation.OPERATION_CREATE)
              .addOperations(Operation.OPERATION_READ)
              .addOperations(Operation.OPERATION_UPDATE)
              .addOperations(Operation.OPERATION_DELETE)
              .build(),
          "localfs_directory",
          ResourceType.newBuilder()
              .setName("localfs_directory")
              .addOperations(Operation.OPERATION_CREATE)
              .addOperations(Operation.OPERATION_READ)
              .addOperations(Operation.OPERATION_DELETE)
              .build());

  /** Names the state records. */
  private static final Set<String> RECORDED = Set.of("b", "c", "site");

  @FuzzTest
  void planFile(byte[] input) throws Exception {
    Path file = FuzzFiles.write("plan.json", input);
    Plan plan;
    try {
      plan = PlanFiles.read(file);
    } catch (InvalidPlanException e) {
      Refusals.namePlace(e, file.toString());
      return;
    }
    ActionGraph graph;
    try {
      graph = new PlanValidator(TYPES).validate(plan, RECORDED);
    } catch (InvalidPlanException e) {
      Refusals.nameOneOf(e, "resource", "action", "plan");
      return;
    }
    List<String> order = graph.topologicalOrder();
    if (order.size() != plan.getActionsCount()) {
      throw new AssertionError(
          "a valid plan of " + plan.getActionsCount() + " actions orders only " + order);
    }
    Set<String> done = new HashSet<>();
    for (String id : order) {
      if (!done.containsAll(graph.prerequisites(id))) {
        throw new AssertionError(id + " is ordered before one of its prerequisites: " + order);
      }
      done.add(id);
    }
  }

  @FuzzTest
  void desiredResources(byte[] input) throws Exception {
    Path file = FuzzFiles.write("desired.json", input);
    List<DesiredResource> resources;
    try {
      resources = DesiredResourcesReader.read(file);
    } catch (InvalidPlanException e) {
      Refusals.namePlace(e, file.toString());
      return;
    }
    for (DesiredResource resource : resources) {
      if (resource.spec().getName().isBlank() || resource.spec().getType().isBlank()) {
        throw new AssertionError("a desired resource without a name or type: " + resource);
      }
      resource.hooks().forEach(hook -> checkHook(hook.getCommandCount(), resource));
    }
  }

  private static void checkHook(int commandCount, DesiredResource resource) {
    if (commandCount == 0) {
      throw new AssertionError("a hook without a command was accepted: " + resource);
    }
  }
}
