package io.compensa.host.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.compensa.host.journal.FileJournal;
import io.compensa.host.journal.Journal;
import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.StateSnapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded file store and its file journal. */
class FileStateStoreContractTest extends StateStoreContract {
  @TempDir Path dir;
  private Path file;
  private int count;

  @Override
  protected void location() {
    file = dir.resolve("state-" + (++count)).resolve("compensa-state.json");
  }

  @Override
  protected StateStore store() {
    return new FileStateStore(file);
  }

  @Override
  protected Journal journal(StateStore store) {
    return new FileJournal(((FileStateStore) store).file());
  }

  @Override
  protected void damageState() throws Exception {
    Files.writeString(file, "{\"serial\": \"not a number\", garbage");
  }

  @Override
  protected void interruptWrite(StateStore locked, StateSnapshot next) throws Exception {
    // a crash between writing the temporary file and renaming it leaves this behind
    Files.writeString(
        file.resolveSibling("." + file.getFileName() + "12345.tmp"),
        com.google.protobuf.util.JsonFormat.printer().print(next).substring(0, 20));
  }

  @Override
  protected void tearJournal() throws Exception {
    Path journal = new FileJournal(file).file();
    Files.write(
        journal,
        "0badc0de {\"call\":{\"actionId\":\"a2\"".getBytes(StandardCharsets.UTF_8),
        StandardOpenOption.APPEND);
  }

  @Test
  void theJournalAndTheLockFileAreReadableOnlyByTheirOwnerLikeTheState() throws Exception {
    location();
    Files.createDirectories(file.getParent());
    // left by an older host with the default umask: narrowed, not kept
    Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
    Files.writeString(lockFile, "");
    Files.setPosixFilePermissions(lockFile, PosixFilePermissions.fromString("rw-r--r--"));
    FileStateStore store = new FileStateStore(file);
    try (StateLock lock = store.lock("apply")) {
      store.write(snapshot(1, resource("a", "1")));
      new FileJournal(file)
          .begin(Plan.newBuilder().setId("modes").build(), "stop", "test")
          .complete();
    }
    for (Path written : new Path[] {file, lockFile, new FileJournal(file).file()}) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(written)))
          .as("%s", written.getFileName())
          .isEqualTo("rw-------");
    }
  }
}
