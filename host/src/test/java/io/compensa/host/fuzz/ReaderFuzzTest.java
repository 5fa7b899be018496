package io.compensa.host.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.util.JsonFormat;
import io.compensa.host.config.HostConfigReader;
import io.compensa.host.config.InvalidConfigException;
import io.compensa.host.journal.ApplyJournal;
import io.compensa.host.journal.FileJournal;
import io.compensa.host.journal.JournalException;
import io.compensa.host.plan.DesiredResourcesReader;
import io.compensa.host.plan.InvalidPlanException;
import io.compensa.host.plan.PlanFiles;
import io.compensa.host.state.FileStateStore;
import io.compensa.host.state.StateStoreException;
import io.compensa.host.testing.Fuzzing;
import io.compensa.host.testing.LocalFsWorld;
import io.compensa.host.testing.Mutator;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.CommandHook;
import io.compensa.proto.v1.CreateResponse;
import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.PlanAction;
import io.compensa.proto.v1.ResourceOutput;
import io.compensa.proto.v1.ResourceState;
import io.compensa.proto.v1.StateSnapshot;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile input for the host's file readers: each gets {@code -Dcompensa.fuzz.inputs} (default
 * 10,000) generated and mutated inputs, seeded ({@code -Dcompensa.fuzz.seed}, printed), and one
 * input over its size limit (a sparse file, so nothing large is allocated). Only the documented
 * exception may come out, within 5 seconds per input.
 */
class ReaderFuzzTest {
  private static final int INPUTS = Integer.getInteger("compensa.fuzz.inputs", 10_000);
  private static final long SEED = Long.getLong("compensa.fuzz.seed", System.nanoTime());

  @TempDir Path dir;

  private static Plan samplePlan() {
    ResourceState current =
        ResourceState.newBuilder()
            .setName("b")
            .setType("localfs_file")
            .setConfig(LocalFsWorld.fileConfig("d/b.txt", "old"))
            .setOutput(
                ResourceOutput.newBuilder()
                    .setProviderId("d/b.txt")
                    .setOutputs(LocalFsWorld.fileConfig("size", "3"))
                    .addSensitiveKeys("size"))
            .addDependsOn("a")
            .setTainted(true)
            .setNeedsAttention(true)
            .setAttentionReason("why")
            .build();
    PlanAction update =
        LocalFsWorld.update("update-b", current, "new").toBuilder()
            .addCommandHooks(
                CommandHook.newBuilder().addCommand("test").addCommand("-s").setTimeoutSeconds(10))
            .build();
    return Plan.newBuilder()
        .setId("fuzz-plan")
        .addActions(LocalFsWorld.create("create-a", "a", "d/a.txt", "hello\n"))
        .addActions(update)
        .addActions(LocalFsWorld.delete("delete-c", current.toBuilder().setName("c").build()))
        .build();
  }

  private static List<String> keys(String... extra) {
    List<String> keys =
        new ArrayList<>(
            List.of(
                "id",
                "actions",
                "kind",
                "resource",
                "name",
                "type",
                "config",
                "dependsOn",
                "depends_on",
                "current",
                "output",
                "providerId",
                "outputs",
                "sensitiveKeys",
                "tainted",
                "needsAttention",
                "resources",
                "commandHooks",
                "command",
                "timeoutSeconds",
                "timeout_seconds",
                "hooks",
                "unknown",
                "",
                "\u0000",
                "path",
                "content"));
    keys.addAll(Arrays.asList(extra));
    return keys;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** A sparse file one byte over {@code limit}. */
  private static void sparse(Path file, long limit) throws Exception {
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.setLength(limit + 1);
    }
  }

  @Test
  void planReaderRejectsHostileInputOnlyWithInvalidPlanException() throws Exception {
    Plan plan = samplePlan();
    List<byte[]> seeds =
        List.of(
            utf8(JsonFormat.printer().print(plan)),
            utf8(JsonFormat.printer().omittingInsignificantWhitespace().print(plan)),
            utf8(JsonFormat.printer().preservingProtoFieldNames().print(plan)),
            utf8("{}"));
    Mutator mutator = new Mutator(SEED, seeds, keys("ACTION_KIND_CREATE", "ACTION_KIND_REPLACE"));
    Path file = dir.resolve("plan.json");
    try (Fuzzing fuzz = new Fuzzing("PlanFiles.read", InvalidPlanException.class, 5)) {
      while (fuzz.inputs() < INPUTS) {
        byte[] input = mutator.next();
        fuzz.run(
            input,
            bytes -> {
              Files.write(file, bytes);
              PlanFiles.read(file);
            });
      }
      fuzz.report(SEED);
    }
    sparse(file, PlanFiles.MAX_PLAN_BYTES);
    assertThatThrownBy(() -> PlanFiles.read(file))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessageContaining("over the " + PlanFiles.MAX_PLAN_BYTES + "-byte limit");
  }

  @Test
  void desiredResourcesReaderRejectsHostileInputOnlyWithInvalidPlanException() throws Exception {
    String sample =
        "{\"resources\": [\n"
            + "  {\"name\": \"site\", \"type\": \"localfs_directory\", \"config\": {\"path\": \"site\", \"mode\": \"0755\"}},\n"
            + "  {\"name\": \"index\", \"type\": \"localfs_file\", \"config\": {\"path\": \"site/index.html\", \"content\": \"hi\","
            + " \"n\": 1.5, \"list\": [1, \"a\", null, {\"x\": true}]},\n"
            + "   \"depends_on\": [\"site\"],\n"
            + "   \"hooks\": [{\"command\": [\"test\", \"-s\", \"world/site/index.html\"], \"timeout_seconds\": 10}]}\n"
            + "]}\n";
    Mutator mutator = new Mutator(SEED, List.of(utf8(sample), utf8("{\"resources\": []}")), keys());
    Path file = dir.resolve("desired.json");
    try (Fuzzing fuzz = new Fuzzing("DesiredResourcesReader.read", InvalidPlanException.class, 5)) {
      while (fuzz.inputs() < INPUTS) {
        fuzz.run(
            mutator.next(),
            bytes -> {
              Files.write(file, bytes);
              DesiredResourcesReader.read(file);
            });
      }
      fuzz.report(SEED);
    }
    sparse(file, PlanFiles.MAX_PLAN_BYTES);
    assertThatThrownBy(() -> DesiredResourcesReader.read(file))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessageContaining("larger than " + PlanFiles.MAX_PLAN_BYTES + " bytes");
  }

  @Test
  void stateReaderRejectsHostileInputOnlyWithStateStoreExceptionAndNeverWrites() throws Exception {
    StateSnapshot state =
        StateSnapshot.newBuilder()
            .addResources(samplePlan().getActions(1).getCurrent())
            .addResources(
                ResourceState.newBuilder()
                    .setName("a")
                    .setType("localfs_file")
                    .setConfig(LocalFsWorld.fileConfig("d/a.txt", "x")))
            .build();
    Mutator mutator =
        new Mutator(
            SEED,
            List.of(utf8(JsonFormat.printer().print(state)), utf8("{}")),
            keys("serial", "lineage", "planId"));
    Path file = dir.resolve("state").resolve("state.json");
    Files.createDirectories(file.getParent());
    FileStateStore store = new FileStateStore(file);
    Random random = new Random(SEED);
    try (Fuzzing fuzz = new Fuzzing("FileStateStore.read", StateStoreException.class, 5)) {
      while (fuzz.inputs() < INPUTS) {
        boolean checkUnchanged = random.nextInt(10) == 0;
        fuzz.run(
            mutator.next(),
            bytes -> {
              Files.write(file, bytes);
              try {
                store.read();
              } finally {
                if (checkUnchanged && !Arrays.equals(Files.readAllBytes(file), bytes)) {
                  throw new AssertionError("the state file changed while it was read");
                }
              }
            });
      }
      fuzz.report(SEED);
    }
    try (var files = Files.list(file.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString()).toList())
          .as("nothing written beside the state")
          .containsExactly("state.json");
    }
    sparse(file, FileStateStore.MAX_STATE_BYTES);
    assertThatThrownBy(store::read)
        .isInstanceOf(StateStoreException.class)
        .hasMessageContaining("over the " + FileStateStore.MAX_STATE_BYTES + "-byte limit");
  }

  @Test
  void hostConfigReaderRejectsHostileInputOnlyWithInvalidConfigException() throws Exception {
    String sample =
        "{\n  \"state\": \"state/compensa-state.json\",\n  \"secrets\": \"state/compensa-secrets.json\",\n"
            + "  \"plugins\": {\n    \"localfs\": {\n      \"command\": [\"../bin/compensa-localfs\", \"--x\"],\n"
            + "      \"sha256\": \""
            + "ab".repeat(32)
            + "\",\n      \"config\": {\"root\": \"world\", \"n\": [1, {}]},\n"
            + "      \"env\": {\"allow\": [\"PATH\", \"HOME\"]},\n      \"start_timeout_seconds\": 60,\n"
            + "      \"call_timeout_seconds\": 30\n    },\n    \"other\": {\"command\": [\"x\"], \"env\": {\"deny\": [\"A\"]}}\n"
            + "  }\n}\n";
    Mutator mutator =
        new Mutator(
            SEED,
            List.of(utf8(sample), utf8("{}")),
            keys(
                "state",
                "secrets",
                "plugins",
                "sha256",
                "env",
                "allow",
                "deny",
                "start_timeout_seconds",
                "call_timeout_seconds",
                "localfs"));
    Path file = dir.resolve("compensa.json");
    try (Fuzzing fuzz = new Fuzzing("HostConfigReader.read", InvalidConfigException.class, 5)) {
      while (fuzz.inputs() < INPUTS) {
        fuzz.run(
            mutator.next(),
            bytes -> {
              Files.write(file, bytes);
              HostConfigReader.read(file);
            });
      }
      fuzz.report(SEED);
    }
    sparse(file, HostConfigReader.MAX_BYTES);
    assertThatThrownBy(() -> HostConfigReader.read(file))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("larger than " + HostConfigReader.MAX_BYTES + " bytes");
  }

  @Test
  void journalReaderRejectsHostileInputOnlyWithJournalException() throws Exception {
    Path state = dir.resolve("journal").resolve("state.json");
    FileJournal journal = new FileJournal(state);
    Plan plan = samplePlan();
    ApplyJournal writer = journal.begin(plan, "stop", "pid 1 (fuzz)");
    writer.intent("create-a", "Create", 1);
    writer.succeeded(
        "create-a",
        "Create",
        1,
        CreateResponse.newBuilder()
            .setOutput(ResourceOutput.newBuilder().setProviderId("d/a.txt"))
            .build());
    ActionOutcome outcome =
        ActionOutcome.newBuilder()
            .setActionId("create-a")
            .setResourceName("a")
            .setStatus(ActionStatus.ACTION_STATUS_SUCCESS)
            .build();
    writer.outcome(
        outcome,
        Optional.of(ResourceState.newBuilder().setName("a").setType("localfs_file").build()));
    writer.intent("update-b", "Update", 1);
    writer.failed("update-b", "Update", 1, "no");
    writer.hookFailed("update-b", "smoke test failed");
    writer.intent("delete-c", "Delete", 1);
    byte[] unfinished = Files.readAllBytes(journal.file());
    writer.finalized("localfs");
    writer.complete();
    byte[] complete = Files.readAllBytes(journal.file());
    assertThat(journal.unfinished()).isEmpty();
    Files.write(journal.file(), unfinished);
    assertThat(journal.unfinished()).isPresent();

    List<byte[]> seeds = List.of(unfinished, complete);
    Mutator mutator =
        new Mutator(
            SEED,
            seeds,
            keys(
                "begin",
                "call",
                "outcome",
                "hookFailure",
                "finalized",
                "complete",
                "plan",
                "failurePolicy",
                "holder",
                "actionId",
                "attempt",
                "phase",
                "PHASE_INTENT",
                "record"));
    Random random = mutator.random();
    try (Fuzzing fuzz = new Fuzzing("FileJournal.unfinished", JournalException.class, 5)) {
      while (fuzz.inputs() < INPUTS) {
        // half the inputs damage raw bytes (the checksums catch that); the other half mutate one
        // record's JSON and give it a correct checksum, so the record parser itself is exercised
        byte[] input =
            random.nextBoolean()
                ? mutator.next()
                : rechecksummed(seeds.get(random.nextInt(2)), mutator);
        fuzz.run(
            input,
            bytes -> {
              Files.write(journal.file(), bytes);
              journal.unfinished();
            });
      }
      fuzz.report(SEED);
    }
    sparse(journal.file(), 2L * 1024 * 1024 * 1024);
    assertThatThrownBy(journal::unfinished)
        .isInstanceOf(JournalException.class)
        .hasMessageContaining("is larger than");
  }

  /**
   * One line of {@code journal} with its JSON mutated and a correct checksum; sometimes without its
   * newline.
   */
  private static byte[] rechecksummed(byte[] journal, Mutator mutator) {
    Random random = mutator.random();
    String[] lines = new String(journal, StandardCharsets.UTF_8).split("\n");
    int at = random.nextInt(lines.length);
    byte[] body = mutator.mutate(lines[at].substring(9).getBytes(StandardCharsets.UTF_8));
    // a record is one line: a newline inside would make two lines, which raw mutation covers
    String json = new String(body, StandardCharsets.UTF_8).replace('\n', ' ');
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    CRC32 crc = new CRC32();
    crc.update(bytes);
    lines[at] = String.format(Locale.ROOT, "%08x ", crc.getValue()) + json;
    String joined = String.join("\n", lines) + (random.nextInt(5) == 0 ? "" : "\n");
    return joined.getBytes(StandardCharsets.UTF_8);
  }
}
