package io.compensa.host.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.compensa.host.apply.ApplyEngine;
import io.compensa.host.apply.ApplyListener;
import io.compensa.host.apply.ApplyOptions;
import io.compensa.host.apply.ApplyResult;
import io.compensa.host.config.HostConfig;
import io.compensa.host.config.HostConfigReader;
import io.compensa.host.endpoint.LaunchedPlugins;
import io.compensa.host.secrets.FileSecretStore;
import io.compensa.host.state.FileStateStore;
import io.compensa.host.state.StateStoreException;
import io.compensa.host.testing.LocalFsWorld;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.Plan;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A journal torn by a crash mid-write is recovered from; one damaged in the middle is refused and
 * left alone; a state file replaced with garbage is refused by apply and recover and never
 * overwritten. Real journals written by real applies through the localfs plugin.
 */
class JournalDamageTest {
  @TempDir static Path dir;
  static Path root;
  static LaunchedPlugins plugins;
  static int states;

  @BeforeAll
  static void launch() throws Exception {
    root = dir.resolve("root");
    Files.createDirectories(root);
    HostConfig config =
        HostConfigReader.read(
            LocalFsWorld.writeConfig(dir.resolve("compensa.json"), root, "unused.json"));
    plugins = LaunchedPlugins.launch(config);
  }

  @AfterAll
  static void close() {
    if (plugins != null) {
      plugins.close();
    }
  }

  private static ApplyEngine engine(Path stateFile) {
    return new ApplyEngine(
        plugins.router(),
        new FileStateStore(stateFile),
        new FileSecretStore(stateFile.resolveSibling("secrets.json")),
        ApplyOptions.builder().parallelism(4).journal(new FileJournal(stateFile)).build(),
        new ApplyListener() {});
  }

  /** A finished apply of 20 creates in a folder of its own; returns the state file. */
  private static Path appliedState(String folder) throws Exception {
    Files.createDirectories(root.resolve(folder));
    Path stateFile = dir.resolve("states").resolve(++states + "").resolve("state.json");
    Plan.Builder plan = Plan.newBuilder().setId("plan-" + folder);
    for (int i = 0; i < 20; i++) {
      plan.addActions(
          LocalFsWorld.create(
              folder + "-create-" + i, folder + "-" + i, folder + "/" + i + ".txt", "file " + i));
    }
    ApplyResult result = engine(stateFile).apply(plan.build(), "test");
    assertThat(result.outcomes())
        .allMatch(o -> o.getStatus() == ActionStatus.ACTION_STATUS_SUCCESS);
    return stateFile;
  }

  /** The journal cut after its first {@code keep} lines, as a crash at that point leaves it. */
  private static List<byte[]> cut(Path journal, int keep) throws Exception {
    List<byte[]> lines = lines(Files.readAllBytes(journal));
    assertThat(lines.size()).isGreaterThan(keep + 1);
    return new ArrayList<>(lines.subList(0, keep));
  }

  private static List<byte[]> lines(byte[] content) {
    List<byte[]> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < content.length; i++) {
      if (content[i] == '\n') {
        lines.add(Arrays.copyOfRange(content, start, i + 1));
        start = i + 1;
      }
    }
    return lines;
  }

  private static byte[] join(List<byte[]> lines, byte[] tail) {
    int size = tail.length;
    for (byte[] line : lines) {
      size += line.length;
    }
    byte[] out = new byte[size];
    int at = 0;
    for (byte[] line : lines) {
      System.arraycopy(line, 0, out, at, line.length);
      at += line.length;
    }
    System.arraycopy(tail, 0, out, at, tail.length);
    return out;
  }

  private static void recoversCompletely(Path stateFile, String folder, boolean torn)
      throws Exception {
    FileJournal journal = new FileJournal(stateFile);
    Optional<JournalLog> left = journal.unfinished();
    assertThat(left).isPresent();
    assertThat(left.get().tornTail()).isEqualTo(torn);
    Optional<ApplyResult> result = engine(stateFile).recover("test");
    assertThat(result).isPresent();
    assertThat(LocalFsWorld.invariantOne(left.get().plan(), result.get())).isEmpty();
    assertThat(result.get().outcomes())
        .allMatch(
            o ->
                o.getStatus() == ActionStatus.ACTION_STATUS_SUCCESS
                    || o.getStatus() == ActionStatus.ACTION_STATUS_SKIPPED);
    assertThat(journal.unfinished()).isEmpty();
    assertThat(engine(stateFile).recover("again")).isEmpty();
    // the torn bytes were cut off: every line of the journal now parses
    byte[] content = Files.readAllBytes(journal.file());
    assertThat(content[content.length - 1]).isEqualTo((byte) '\n');
    LocalFsWorld.Comparison comparison =
        LocalFsWorld.compare(new FileStateStore(stateFile).read(), root, folder);
    assertThat(comparison.leaks()).as(comparison.toString()).isFalse();
  }

  @Test
  void aHalfWrittenLastRecordIsIgnoredAndRecoverFinishesTheApply() throws Exception {
    Path stateFile = appliedState("torn");
    Path journal = new FileJournal(stateFile).file();
    List<byte[]> lines = lines(Files.readAllBytes(journal));
    List<byte[]> kept = cut(journal, lines.size() / 2);
    byte[] next = lines.get(lines.size() / 2);
    Files.write(journal, join(kept, Arrays.copyOf(next, next.length / 2)));
    recoversCompletely(stateFile, "torn", true);
  }

  @Test
  void aLastRecordWithABadChecksumIsIgnoredAndRecoverFinishesTheApply() throws Exception {
    Path stateFile = appliedState("badsum");
    Path journal = new FileJournal(stateFile).file();
    List<byte[]> lines = lines(Files.readAllBytes(journal));
    List<byte[]> kept = cut(journal, lines.size() / 2 + 1);
    byte[] last = kept.get(kept.size() - 1).clone();
    last[last.length - 3] ^= 0x01; // inside the JSON: the checksum no longer matches
    kept.set(kept.size() - 1, last);
    Files.write(journal, join(kept, new byte[0]));
    recoversCompletely(stateFile, "badsum", true);
  }

  @Test
  void aDamagedLineInTheMiddleIsRefusedNamingTheLineAndNothingChanges() throws Exception {
    Path stateFile = appliedState("damaged");
    Path journal = new FileJournal(stateFile).file();
    List<byte[]> lines = lines(Files.readAllBytes(journal));
    List<byte[]> kept = cut(journal, lines.size() / 2);
    byte[] fifth = kept.get(4).clone();
    fifth[20] ^= 0x04;
    kept.set(4, fifth);
    Files.write(journal, join(kept, new byte[0]));
    byte[] journalBefore = Files.readAllBytes(journal);
    byte[] stateBefore = Files.readAllBytes(stateFile);
    List<String> worldBefore = world("damaged");

    assertThatThrownBy(() -> engine(stateFile).recover("test"))
        .isInstanceOf(JournalException.class)
        .hasMessageContaining("line 5")
        .hasMessageContaining(journal.toString());
    Plan another =
        Plan.newBuilder()
            .setId("another")
            .addActions(
                LocalFsWorld.create("another-create", "another", "damaged/another.txt", "x"))
            .build();
    assertThatThrownBy(() -> engine(stateFile).apply(another, "test"))
        .isInstanceOf(JournalException.class)
        .hasMessageContaining("line 5");

    assertThat(Files.readAllBytes(journal)).isEqualTo(journalBefore);
    assertThat(Files.readAllBytes(stateFile)).isEqualTo(stateBefore);
    assertThat(world("damaged")).isEqualTo(worldBefore);
  }

  @Test
  void aStateFileReplacedWithGarbageIsRefusedByApplyAndRecoverAndNeverOverwritten()
      throws Exception {
    Path stateFile = appliedState("garbage");
    Path journal = new FileJournal(stateFile).file();
    // an unfinished journal, so that recover has to read the state
    List<byte[]> lines = lines(Files.readAllBytes(journal));
    Files.write(journal, join(cut(journal, lines.size() / 2), new byte[0]));
    byte[] garbage =
        "{\"resources\": [{\"name\": 7, ]]] \u0000 not a state \u00ff"
            .getBytes(StandardCharsets.UTF_8);
    Files.write(stateFile, garbage);
    List<String> worldBefore = world("garbage");
    byte[] journalBefore = Files.readAllBytes(journal);

    assertThatThrownBy(() -> engine(stateFile).recover("test"))
        .isInstanceOf(StateStoreException.class)
        .hasMessageContaining(stateFile.toString())
        .hasMessageContaining("left as it is");
    // a finished journal: apply gets as far as reading the state
    new FileJournal(stateFile).resume().complete();
    Plan another =
        Plan.newBuilder()
            .setId("another")
            .addActions(LocalFsWorld.create("g-create", "g", "garbage/another.txt", "x"))
            .build();
    assertThatThrownBy(() -> engine(stateFile).apply(another, "test"))
        .isInstanceOf(StateStoreException.class)
        .hasMessageContaining(stateFile.toString());

    assertThat(Files.readAllBytes(stateFile)).isEqualTo(garbage);
    assertThat(world("garbage")).isEqualTo(worldBefore);
    try (Stream<Path> beside = Files.list(stateFile.getParent())) {
      assertThat(beside.map(p -> p.getFileName().toString()))
          .as("no temporary state file left beside it")
          .noneMatch(name -> name.endsWith(".tmp"));
    }
    assertThat(journalBefore).isNotEmpty();
  }

  private static List<String> world(String folder) throws Exception {
    try (Stream<Path> files = Files.walk(root.resolve(folder))) {
      return files.map(p -> root.relativize(p).toString()).sorted().toList();
    }
  }
}
