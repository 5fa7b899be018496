package io.compensa.host.journal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.compensa.proto.v1.JournalOutcome;
import io.compensa.reliability.FuzzFiles;
import io.compensa.reliability.Refusals;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The apply journal, read through {@link Journal#last()} of a {@link FileJournal} (what recover,
 * report and every apply's unfinished-apply check read): either no apply, an apply whose plan and
 * records can be walked, or {@link JournalException} naming the journal file.
 *
 * <p>Damaged bytes mostly fail the per-line checksum, which a fuzzer cannot forge; so when the
 * input's first byte is odd, the rest is taken as lines of record JSON and each gets its correct
 * checksum, and the record parser and the log's walk see the fuzzer's JSON.
 */
class JournalFuzzTest {
  private static final FileJournal JOURNAL = new FileJournal(FuzzFiles.dir().resolve("state.json"));

  @FuzzTest
  void journal(byte[] input) throws Exception {
    byte[] content =
        input.length > 0 && (input[0] & 1) == 1
            ? checksummed(input)
            : (input.length > 0 ? java.util.Arrays.copyOfRange(input, 1, input.length) : input);
    Path file = FuzzFiles.write(JOURNAL.file().getFileName().toString(), content);
    Optional<JournalLog> log;
    try {
      log = JOURNAL.last();
    } catch (JournalException e) {
      Refusals.namePlace(e, file.toString());
      return;
    }
    if (log.isEmpty()) {
      return;
    }
    JournalLog read = log.get();
    read.plan().getActionsList().forEach(action -> read.calls(action.getId()));
    for (JournalOutcome outcome : read.outcomes()) {
      read.outcome(outcome.getOutcome().getActionId());
      read.hookFailure(outcome.getOutcome().getActionId());
    }
    read.states();
    read.complete();
  }

  /** Lines 2.. of {@code input}, each prefixed with the checksum of its body as the writer does. */
  private static byte[] checksummed(byte[] input) {
    String text = new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      byte[] body = lines[i].getBytes(StandardCharsets.UTF_8);
      boolean last = i == lines.length - 1;
      if (last && body.length == 0) {
        break;
      }
      CRC32 crc = new CRC32();
      crc.update(body);
      out.writeBytes(
          String.format(Locale.ROOT, "%08x ", crc.getValue()).getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(body);
      if (!last) {
        out.write('\n');
      }
    }
    return out.toByteArray();
  }
}
