package io.compensa.host.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.ResourceState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whether an earlier apply is unfinished is told from the journal's last line when that line is an
 * intact completion record: the rest of a finished journal is not read (every apply asks before it
 * starts, and a large apply's journal is tens of megabytes). Anything else is read whole, as
 * before.
 */
class FileJournalCompletionTest {
  @TempDir Path dir;

  /** A journal of a finished apply of {@code actions} creates; returns its file. */
  private Path finished(FileJournal journal, int actions) throws Exception {
    ApplyJournal open = journal.begin(Plan.newBuilder().setId("plan").build(), "stop", "test");
    for (int i = 0; i < actions; i++) {
      open.intent("create-" + i, "Create", 1);
      open.state("r" + i, Optional.of(ResourceState.newBuilder().setName("r" + i).build()));
      open.outcome(
          ActionOutcome.newBuilder()
              .setActionId("create-" + i)
              .setResourceName("r" + i)
              .setStatus(ActionStatus.ACTION_STATUS_SUCCESS)
              .build(),
          Optional.empty());
    }
    open.complete();
    return journal.file();
  }

  @Test
  void aFinishedJournalIsNotReadPastItsCompletionLine() throws Exception {
    FileJournal journal = new FileJournal(dir.resolve("state.json"));
    Path file = finished(journal, 50);
    // damage a line in the middle: a whole read refuses the journal, the completion check does not
    String text = Files.readString(file, StandardCharsets.UTF_8);
    int middle = text.indexOf("create-25");
    Files.writeString(
        file,
        text.substring(0, middle) + "CREATE" + text.substring(middle + 6),
        StandardCharsets.UTF_8);

    assertThat(journal.unfinished()).isEmpty();
    journal.ensureFinished();
    assertThatThrownBy(journal::last)
        .isInstanceOf(JournalException.class)
        .hasMessageContaining("is damaged at line");
  }

  @Test
  void aJournalWithoutItsCompletionLineIsReadWholeAndUnfinished() throws Exception {
    FileJournal journal = new FileJournal(dir.resolve("state.json"));
    Path file = finished(journal, 20);
    byte[] content = Files.readAllBytes(file);
    int lastLine = lastLineStart(content);
    Files.write(file, Arrays.copyOf(content, lastLine));

    Optional<JournalLog> left = journal.unfinished();
    assertThat(left).isPresent();
    assertThat(left.get().tornTail()).isFalse();
    assertThat(left.get().outcomes()).hasSize(20);
    assertThatThrownBy(journal::ensureFinished)
        .isInstanceOf(UnfinishedApplyException.class)
        .hasMessageStartingWith("an earlier apply of plan plan did not finish (journal " + file);
  }

  @Test
  void aCompletionLineWithABadChecksumIsATornTailNotACompletion() throws Exception {
    FileJournal journal = new FileJournal(dir.resolve("state.json"));
    Path file = finished(journal, 20);
    byte[] content = Files.readAllBytes(file);
    content[content.length - 3] ^= 0x01; // inside the completion record's JSON
    Files.write(file, content);

    Optional<JournalLog> left = journal.unfinished();
    assertThat(left).isPresent();
    assertThat(left.get().tornTail()).isTrue();
    assertThat(left.get().complete()).isFalse();
  }

  private static int lastLineStart(byte[] content) {
    int start = content.length - 1;
    while (start > 0 && content[start - 1] != '\n') {
      start--;
    }
    return start;
  }
}
