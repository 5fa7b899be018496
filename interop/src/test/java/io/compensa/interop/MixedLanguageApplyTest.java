package io.compensa.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.compensa.host.apply.ApplyEngine;
import io.compensa.host.apply.ApplyListener;
import io.compensa.host.apply.ApplyOptions;
import io.compensa.host.apply.ApplyResult;
import io.compensa.host.apply.FailurePolicy;
import io.compensa.host.config.HostConfig;
import io.compensa.host.config.HostConfigReader;
import io.compensa.host.endpoint.LaunchedPlugins;
import io.compensa.host.journal.FileJournal;
import io.compensa.host.secrets.FileSecretStore;
import io.compensa.host.state.FileStateStore;
import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.Compensator;
import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.PlanAction;
import io.compensa.proto.v1.ResourceSpec;
import io.compensa.proto.v1.ResourceState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One apply through plugins in four languages at once — Java (localfs), Go (go-kv, go-plugin),
 * Python (python-notes) and Node.js (node-tasks, @grpc/grpc-js) — where a post-driver hook fails on
 * resources of each, so each is compensated its own way: the host's inverse Delete for localfs,
 * go-kv's entry, the Python note and the Node task; the plugin's own Compensate for the Go counter
 * and the Node label.
 */
@DisplayName("An apply mixing Java, Go, Python and Node.js plugins")
class MixedLanguageApplyTest {
  @TempDir Path dir;
  private Path javaRoot;
  private Path goRoot;
  private Path pythonRoot;
  private Path nodeRoot;

  @BeforeEach
  void requireBinaries() throws Exception {
    Interop.requireGoPlugin();
    Interop.requirePythonPlugin();
    Interop.requireNodePlugin();
    Interop.require(
        Interop.LOCALFS_JAR,
        false,
        "the localfs plugin's jar",
        "interop/build.sh java (or mvn -pl sample-plugins/localfs -am package)");
    javaRoot = Files.createDirectories(dir.resolve("java-world"));
    goRoot = Files.createDirectories(dir.resolve("go-world"));
    pythonRoot = Files.createDirectories(dir.resolve("python-world"));
    nodeRoot = Files.createDirectories(dir.resolve("node-world"));
  }

  private HostConfig config() throws Exception {
    Path file = dir.resolve("compensa.json");
    Files.writeString(
        file,
        "{\"plugins\": {\n"
            + "  \"localfs\": {\"command\": [\""
            + Interop.LOCALFS_PLUGIN
            + "\"], \"config\": {\"root\": \"java-world\"}},\n"
            + "  \"go-kv\": {\"command\": [\""
            + Interop.GO_PLUGIN
            + "\"], \"config\": {\"root\": \""
            + goRoot
            + "\"}},\n"
            + "  \"python-notes\": {\"command\": [\""
            + Interop.PYTHON_PLUGIN
            + "\"], \"config\": {\"root\": \""
            + pythonRoot
            + "\"}},\n"
            + "  \"node-tasks\": {\"command\": [\""
            + Interop.NODE_PLUGIN
            + "\"], \"config\": {\"root\": \""
            + nodeRoot
            + "\"}}\n"
            + "}}\n");
    return HostConfigReader.read(file);
  }

  private static PlanAction create(String name, String type, Map<String, ?> config) {
    return PlanAction.newBuilder()
        .setId("mixed/" + name)
        .setKind(ActionKind.ACTION_KIND_CREATE)
        .setResource(
            ResourceSpec.newBuilder().setName(name).setType(type).setConfig(Interop.struct(config)))
        .build();
  }

  @Test
  void hookFailuresAreCompensatedByEachPluginsPolicyAndTheWorldAgrees() throws Exception {
    Set<String> failingHooks =
        Set.of(
            "java-bad",
            "go-entry-bad",
            "go-counter-bad",
            "py-bad",
            "node-task-bad",
            "node-label-bad");
    Plan plan =
        Plan.newBuilder()
            .setId("mixed-plan")
            .addActions(
                create(
                    "java-good",
                    "localfs_file",
                    Map.of("path", "good.txt", "content", "kept", "mode", "0644")))
            .addActions(
                create(
                    "java-bad",
                    "localfs_file",
                    Map.of("path", "bad.txt", "content", "undone", "mode", "0644")))
            .addActions(
                create("go-entry-good", "gokv_entry", Map.of("key", "good", "value", "kept")))
            .addActions(
                create("go-entry-bad", "gokv_entry", Map.of("key", "bad", "value", "undone")))
            .addActions(
                create("go-counter-good", "gokv_counter", Map.of("name", "good", "value", 1)))
            .addActions(create("go-counter-bad", "gokv_counter", Map.of("name", "bad", "value", 2)))
            .addActions(
                create("py-good", "pynotes_note", Map.of("title", "Good Note", "body", "kept")))
            .addActions(
                create("py-bad", "pynotes_note", Map.of("title", "Bad Note", "body", "undone")))
            .addActions(
                create(
                    "node-task-good",
                    "nodetasks_task",
                    Map.of("title", "Good Task", "done", false)))
            .addActions(
                create(
                    "node-task-bad", "nodetasks_task", Map.of("title", "Bad Task", "done", true)))
            .addActions(
                create("node-label-bad", "nodetasks_label", Map.of("name", "bad", "color", "red")))
            .build();
    HostConfig host = config();
    ApplyResult result;
    try (LaunchedPlugins plugins = LaunchedPlugins.launch(host)) {
      ApplyEngine engine =
          new ApplyEngine(
              plugins.router(),
              new FileStateStore(host.stateFile()),
              new FileSecretStore(host.secretsFile()),
              ApplyOptions.builder()
                  .failurePolicy(FailurePolicy.CONTINUE)
                  .journal(new FileJournal(host.stateFile()))
                  .hook(
                      context -> {
                        if (failingHooks.contains(context.action().getResource().getName())) {
                          throw new IllegalStateException(
                              "smoke test failed for " + context.action().getResource().getName());
                        }
                      })
                  .build(),
              new ApplyListener() {});
      result = engine.apply(plan, "mixed-language test");
    }

    Map<String, ActionOutcome> outcomes =
        result.outcomes().stream()
            .collect(Collectors.toMap(ActionOutcome::getResourceName, o -> o));
    assertThat(outcomes).hasSize(11);
    for (String good :
        List.of("java-good", "go-entry-good", "go-counter-good", "py-good", "node-task-good")) {
      assertThat(outcomes.get(good).getStatus())
          .as(good)
          .isEqualTo(ActionStatus.ACTION_STATUS_SUCCESS);
    }
    for (String bad : List.of("java-bad", "go-entry-bad", "py-bad", "node-task-bad")) {
      ActionOutcome outcome = outcomes.get(bad);
      assertThat(outcome.getStatus()).as(bad).isEqualTo(ActionStatus.ACTION_STATUS_COMPENSATED);
      assertThat(outcome.getHookError()).as(bad).contains("smoke test failed for " + bad);
      assertThat(outcome.getCompensation().getCompensator())
          .as(bad)
          .isEqualTo(Compensator.COMPENSATOR_HOST);
      assertThat(outcome.getCompensation().getCall()).as(bad).isEqualTo("Delete");
    }
    for (String bad : List.of("go-counter-bad", "node-label-bad")) {
      ActionOutcome outcome = outcomes.get(bad);
      assertThat(outcome.getStatus()).as(bad).isEqualTo(ActionStatus.ACTION_STATUS_COMPENSATED);
      assertThat(outcome.getCompensation().getCompensator())
          .as(bad)
          .isEqualTo(Compensator.COMPENSATOR_PLUGIN);
      assertThat(outcome.getCompensation().getCall()).as(bad).isEqualTo("Compensate");
    }
    assertThat(outcomes.get("node-label-bad").getCompensation().getDetail())
        .isEqualTo("deleted nodetasks_label \"bad\"");

    // the world: what succeeded exists, what was compensated does not
    assertThat(javaRoot.resolve("good.txt")).hasContent("kept");
    assertThat(javaRoot.resolve("bad.txt")).doesNotExist();
    assertThat(goRoot.resolve("good")).exists();
    assertThat(goRoot.resolve("bad")).doesNotExist();
    assertThat(goRoot.resolve(".counters/good.json")).exists();
    assertThat(goRoot.resolve(".counters/bad.json")).doesNotExist();
    assertThat(pythonRoot.resolve("good-note.json")).exists();
    assertThat(pythonRoot.resolve("bad-note.json")).doesNotExist();
    assertThat(nodeRoot.resolve("nodetasks_task/good-task.json")).exists();
    assertThat(nodeRoot.resolve("nodetasks_task/bad-task.json")).doesNotExist();
    assertThat(nodeRoot.resolve("nodetasks_label/bad.json")).doesNotExist();
    // the state records exactly what exists
    assertThat(new FileStateStore(host.stateFile()).read().getResourcesList())
        .extracting(ResourceState::getName)
        .containsExactlyInAnyOrder(
            "java-good", "go-entry-good", "go-counter-good", "py-good", "node-task-good");
    // the Python plugin's FinalizeApply ran once, after the loop
    assertThat(pythonRoot.resolve(".finalized/mixed-plan.json")).exists();
    assertThat(result.allSucceeded()).isFalse();
  }
}
