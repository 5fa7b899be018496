package io.compensa.host.journal;

import io.compensa.host.state.OwnerOnlyFiles;
import io.compensa.proto.v1.JournalBegin;
import io.compensa.proto.v1.JournalRecord;
import io.compensa.proto.v1.ResourceState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded journal: an append-only file beside the state ({@code <state>.journal}).
 *
 * <p>An intent is forced to disk before its call is made. Forcing is grouped ({@link
 * GroupedForce}): concurrent callers each append, one forces everything appended so far, and the
 * others find their record already durable, so a parallel apply pays far fewer syncs than calls.
 * Results and outcomes are appended without waiting (the next force covers them; recovery asks the
 * driver when a result was lost). The journal also keeps the state's records ({@link
 * ApplyJournal#keepsState}): an action's state persistence step appends its resource's record
 * durably (grouped like intents), and the state file itself is rewritten whole less often; recovery
 * replays those records. Sensitive output values never reach the file. Thread-safe.
 */
public final class FileJournal implements Journal {
  private static final Logger log = LoggerFactory.getLogger(FileJournal.class);

  /** Journals larger than this are refused before reading. */
  static final long MAX_BYTES = 2L * 1024 * 1024 * 1024;

  /** How much of the journal's end is read to find its last line; a completion line is short. */
  private static final int TAIL_BYTES = 4096;

  private final Path file;

  /** The journal of the state in {@code stateFile}. */
  public FileJournal(Path stateFile) {
    Path absolute = stateFile.toAbsolutePath();
    this.file = absolute.resolveSibling(absolute.getFileName() + ".journal");
  }

  /** The journal file's path. */
  public Path file() {
    return file;
  }

  @Override
  public String location() {
    return "journal " + file;
  }

  @Override
  public ApplyJournal begin(JournalBegin begin) throws JournalException {
    ensureFinished();
    try {
      Files.createDirectories(file.getParent());
      FileChannel channel =
          OwnerOnlyFiles.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
      Writer writer = new Writer(channel);
      writer.appendDurably(JournalRecords.begin(begin));
      return writer;
    } catch (IOException e) {
      throw new JournalException("cannot start journal " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>A journal whose last line is a whole completion record is finished, and is not read further:
   * the completion is written only once the state holds every record, so nothing before it is
   * needed any more (not even to report damage in it). Every apply asks this before it starts, and
   * parsing the whole journal a 100,000-action apply leaves (~90 MB) took ~20 s and more than 256
   * MiB of heap.
   */
  @Override
  public Optional<JournalLog> unfinished() throws JournalException {
    if (endsWithCompletion()) {
      return Optional.empty();
    }
    return read().filter(journal -> !journal.complete());
  }

  /** Whether the journal's last line, not its first, is a whole, intact completion record. */
  private boolean endsWithCompletion() throws JournalException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      int tail = (int) Math.min(size, TAIL_BYTES);
      ByteBuffer buffer = ByteBuffer.allocate(tail);
      while (buffer.hasRemaining()) {
        if (channel.read(buffer, size - tail + buffer.position()) < 0) {
          return false; // cut meanwhile: the whole read decides
        }
      }
      byte[] bytes = buffer.array();
      if (tail == 0 || bytes[tail - 1] != '\n') {
        return false;
      }
      int start = tail - 1;
      while (start > 0 && bytes[start - 1] != '\n') {
        start--;
      }
      if (start == 0) {
        return false; // the only line, or one longer than the tail read: not a completion
      }
      return JournalLines.completes(bytes, start, tail - 1);
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      throw new JournalException("cannot read journal " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<JournalLog> last() throws JournalException {
    return read();
  }

  private Optional<JournalLog> read() throws JournalException {
    byte[] content;
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new JournalException(
            "journal " + file + " is larger than " + MAX_BYTES + " bytes: it is not a journal");
      }
      content = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new JournalException("cannot read journal " + file + ": " + e.getMessage(), e);
    }
    JournalLines.Parsed parsed = JournalLines.decode(content, file.toString());
    if (parsed.records().isEmpty()) {
      // a crash while the first record was being written: nothing ran
      return Optional.empty();
    }
    JournalLog journal = new JournalLog(parsed.records(), parsed.tornTail());
    if (journal.tornTail()) {
      log.warn("journal {} ends with a record cut short by a crash; that record is ignored", file);
    }
    return Optional.of(journal);
  }

  @Override
  public ApplyJournal resume() throws JournalException {
    try {
      byte[] content = Files.readAllBytes(file);
      JournalLines.Parsed parsed = JournalLines.decode(content, file.toString());
      FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);
      if (parsed.tornTail()) {
        // cut the torn record off so that the records appended now start on a line of their own
        channel.truncate(parsed.validBytes());
      }
      channel.position(channel.size());
      return new Writer(channel);
    } catch (IOException e) {
      throw new JournalException("cannot reopen journal " + file + ": " + e.getMessage(), e);
    }
  }

  /** Stores an apply's records in the open journal file, forced in groups. */
  private final class Writer extends JournalWriter {
    private final FileChannel channel;
    private final GroupedForce<IOException> forces;
    private long appended;

    Writer(FileChannel channel) {
      this.channel = channel;
      this.forces = new GroupedForce<>(() -> channel.force(false), this::appendedSoFar);
    }

    @Override
    protected String location() {
      return FileJournal.this.location();
    }

    @Override
    protected void append(JournalRecord record) throws IOException {
      appendNumbered(record);
    }

    @Override
    protected void appendDurably(JournalRecord record) throws IOException {
      forces.awaitDurable(appendNumbered(record));
    }

    @Override
    protected void close() throws IOException {
      channel.close();
    }

    @Override
    public void abandon() throws JournalException {
      try {
        channel.close();
        // removing a file needs no free space: this works where appending did not
        Files.deleteIfExists(file);
      } catch (IOException e) {
        throw new JournalException("cannot remove " + location() + ": " + e.getMessage(), e);
      }
    }

    private long appendNumbered(JournalRecord record) throws IOException {
      // encoded before taking the lock: the threads of a parallel apply encode at once
      ByteBuffer buffer = ByteBuffer.wrap(JournalLines.encode(record));
      synchronized (this) {
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        return ++appended;
      }
    }

    private synchronized long appendedSoFar() {
      return appended;
    }

    @Override
    public boolean keepsState() {
      return true;
    }

    @Override
    public void state(String name, Optional<ResourceState> record) throws JournalException {
      durably(
          JournalRecords.state(name, record),
          "cannot record the state of \"" + name + "\" in " + location(),
          "");
    }
  }
}
