package io.compensa.host.state;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.compensa.host.journal.JournalJson;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.FinishedApply;
import io.compensa.proto.v1.ResourceState;
import io.compensa.proto.v1.StateSnapshot;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The embedded state store: one ProtoJSON file, written atomically, locked against a second host.
 *
 * <p>A write goes to a temporary file in the same directory, is forced to disk, then renamed over
 * the state file, and the directory is forced too: after a crash the file holds the old snapshot or
 * the new one. The lock is an operating-system lock on {@code <state>.lock}, which also records who
 * holds it; the operating system releases it when the holder dies, so a crashed host leaves nothing
 * for a human to clean up. A state file that cannot be parsed is reported and never overwritten.
 * Thread-safe.
 */
public final class FileStateStore implements StateStore {
  /** State files larger than this are refused before parsing. */
  public static final long MAX_STATE_BYTES = 256L * 1024 * 1024;

  private static final byte[] SEPARATOR = ", ".getBytes(StandardCharsets.UTF_8);

  private final Path file;
  private final Path lockFile;

  /** Each resource's part of the last snapshot written, by name; guarded by itself. */
  private final Map<String, Printed> printed = new HashMap<>();

  /**
   * Whether this store wrote a snapshot before, so that its parts are worth keeping; guarded by
   * {@code printed}.
   */
  private boolean wroteBefore;

  /** A resource record and its printed part of the state file. */
  private record Printed(ResourceState resource, byte[] json) {}

  /** A store over {@code file}; neither the file nor its directory need exist yet. */
  public FileStateStore(Path file) {
    this.file = file.toAbsolutePath();
    this.lockFile = this.file.resolveSibling(this.file.getFileName() + ".lock");
  }

  /** The state file's path. */
  public Path file() {
    return file;
  }

  @Override
  public StateLock lock(String purpose) throws StateStoreException {
    try {
      Files.createDirectories(file.getParent());
      FileChannel channel =
          OwnerOnlyFiles.open(lockFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        String holder = readHolder(channel);
        channel.close();
        throw new StateLockedException(
            "state "
                + file
                + " is locked by "
                + holder
                + ": wait for that apply to finish (the lock goes when its process ends)");
      }
      writeHolder(channel, purpose);
      FileLock held = lock;
      java.util.concurrent.atomic.AtomicBoolean released =
          new java.util.concurrent.atomic.AtomicBoolean();
      return () -> {
        if (released.getAndSet(true)) {
          return; // closing twice is harmless
        }
        try {
          channel.truncate(0);
          held.release();
          channel.close();
        } catch (IOException e) {
          throw new StateStoreException(
              "cannot release the lock " + lockFile + ": " + e.getMessage(), e);
        }
      };
    } catch (IOException e) {
      throw new StateStoreException(
          "cannot lock state " + file + " through " + lockFile + ": " + e.getMessage(), e);
    }
  }

  @Override
  public StateSnapshot read() throws StateStoreException {
    try {
      long size = Files.size(file);
      if (size > MAX_STATE_BYTES) {
        throw new StateStoreException(
            "state file "
                + file
                + " is "
                + size
                + " bytes, over the "
                + MAX_STATE_BYTES
                + "-byte limit: it is not a Compensa state");
      }
    } catch (NoSuchFileException e) {
      return StateSnapshot.getDefaultInstance();
    } catch (IOException e) {
      throw new StateStoreException("cannot read state file " + file + ": " + e.getMessage(), e);
    }
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return StateJson.parse(in);
    } catch (NoSuchFileException e) {
      return StateSnapshot.getDefaultInstance();
    } catch (MalformedJsonException
        | EOFException
        | InvalidProtocolBufferException
        | RuntimeException e) {
      throw new StateStoreException(
          "state file "
              + file
              + " is not a valid Compensa state ("
              + e.getMessage()
              + "); it was left as it is: restore it from a backup or move it aside",
          e);
    } catch (IOException e) {
      throw new StateStoreException("cannot read state file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Parses a state file as {@link JsonFormat} does, a record at a time: JsonFormat parses a whole
   * document into a tree first, and the tree of the state a 100,000-action apply leaves (40 MB of
   * text) took ~300 MiB of heap. The resources and the finished apply's outcomes are parsed one
   * element at a time; every other field goes through JsonFormat as it is.
   */
  private static final class StateJson {
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();
    private static final FieldDescriptor RESOURCES =
        StateSnapshot.getDescriptor().findFieldByNumber(StateSnapshot.RESOURCES_FIELD_NUMBER);
    private static final FieldDescriptor FINISHED =
        StateSnapshot.getDescriptor().findFieldByNumber(StateSnapshot.FINISHED_APPLY_FIELD_NUMBER);
    private static final FieldDescriptor OUTCOMES =
        FinishedApply.getDescriptor().findFieldByNumber(FinishedApply.OUTCOMES_FIELD_NUMBER);

    static StateSnapshot parse(Reader text) throws IOException {
      JsonReader json = new JsonReader(text);
      json.setStrictness(Strictness.LENIENT); // as JsonFormat reads
      StateSnapshot.Builder snapshot = StateSnapshot.newBuilder();
      JsonObject rest = new JsonObject();
      json.beginObject();
      while (json.hasNext()) {
        String name = json.nextName();
        if (is(name, RESOURCES) && json.peek() == JsonToken.BEGIN_ARRAY) {
          json.beginArray();
          while (json.hasNext()) {
            ResourceState.Builder resource = ResourceState.newBuilder();
            PARSER.merge(JsonParser.parseReader(json).toString(), resource);
            snapshot.addResources(resource);
          }
          json.endArray();
        } else if (is(name, FINISHED) && json.peek() == JsonToken.BEGIN_OBJECT) {
          snapshot.setFinishedApply(finished(json));
        } else {
          rest.add(name, JsonParser.parseReader(json));
        }
      }
      json.endObject();
      PARSER.merge(rest.toString(), snapshot);
      return snapshot.build();
    }

    private static FinishedApply finished(JsonReader json) throws IOException {
      FinishedApply.Builder finished = FinishedApply.newBuilder();
      JsonObject rest = new JsonObject();
      json.beginObject();
      while (json.hasNext()) {
        String name = json.nextName();
        if (is(name, OUTCOMES) && json.peek() == JsonToken.BEGIN_ARRAY) {
          json.beginArray();
          while (json.hasNext()) {
            ActionOutcome.Builder outcome = ActionOutcome.newBuilder();
            PARSER.merge(JsonParser.parseReader(json).toString(), outcome);
            finished.addOutcomes(outcome);
          }
          json.endArray();
        } else {
          rest.add(name, JsonParser.parseReader(json));
        }
      }
      json.endObject();
      PARSER.merge(rest.toString(), finished);
      return finished.build();
    }

    /** Whether {@code name} names {@code field}, as JsonFormat accepts: its JSON or proto name. */
    private static boolean is(String name, FieldDescriptor field) {
      return name.equals(field.getJsonName()) || name.equals(field.getName());
    }
  }

  @Override
  public void write(StateSnapshot snapshot) throws StateStoreException {
    Path tmp = null;
    try {
      Files.createDirectories(file.getParent());
      tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
      try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        OutputStream stream = new BufferedOutputStream(Channels.newOutputStream(out), 1 << 16);
        print(snapshot, stream);
        stream.flush();
        out.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new StateStoreException(
            "the file system of "
                + file
                + " cannot rename atomically: keep the state on a local disk",
            e);
      }
      tmp = null;
      forceDirectory(file.getParent());
    } catch (IOException e) {
      throw new StateStoreException("cannot write state file " + file + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the temporary file is invisible to readers; leaving it is harmless
        }
      }
    }
  }

  /**
   * Writes {@code snapshot} as the pretty-printed ProtoJSON {@link JsonFormat} would print, each
   * resource's part printed once and kept while the snapshot holds that very record: an apply
   * without a journal writes the whole state after each group of changes, and reprinting every
   * unchanged record each time made a large apply quadratic. The parts are kept from the store's
   * second write on: with the journal, an apply writes the state once, and keeping the parts of
   * 100,000 resources held tens of MiB at its end for nothing. The fields around the resources are
   * streamed, never held as one string: the finished apply's outcomes of a large plan print to tens
   * of megabytes, and building them as a string (and copying it) took several times that in heap.
   */
  private void print(StateSnapshot snapshot, OutputStream out) throws IOException {
    // the fields before the resources and after them, printed as JsonFormat orders fields: by
    // number
    StateSnapshot.Builder before = StateSnapshot.newBuilder();
    StateSnapshot.Builder after = StateSnapshot.newBuilder();
    for (Map.Entry<FieldDescriptor, Object> field : snapshot.getAllFields().entrySet()) {
      int number = field.getKey().getNumber();
      if (number < StateSnapshot.RESOURCES_FIELD_NUMBER) {
        before.setField(field.getKey(), field.getValue());
      } else if (number > StateSnapshot.RESOURCES_FIELD_NUMBER) {
        after.setField(field.getKey(), field.getValue());
      }
    }
    Writer text = new OutputStreamWriter(out, StandardCharsets.UTF_8);
    text.write('{');
    boolean any = FieldLines.print(before.build(), text, "\n");
    if (snapshot.getResourcesCount() > 0) {
      text.write(any ? ",\n" : "\n");
      text.write("  \"resources\": [");
      text.flush(); // the resources' parts go to the stream as they are kept: bytes
      any = true;
      synchronized (printed) {
        boolean first = true;
        for (ResourceState resource : snapshot.getResourcesList()) {
          Printed part = printed.get(resource.getName());
          if (part == null || part.resource() != resource) {
            // printed without JsonFormat's reflection, to the same text (JournalJson)
            Optional<String> pretty = JournalJson.pretty(resource);
            String json =
                (pretty.isPresent() ? pretty.get() : JsonFormat.printer().print(resource))
                    .replace("\n", "\n  ");
            part = new Printed(resource, json.getBytes(StandardCharsets.UTF_8));
            if (wroteBefore) {
              printed.put(resource.getName(), part);
            }
          }
          if (!first) {
            out.write(SEPARATOR);
          }
          first = false;
          out.write(part.json());
        }
        if (printed.size() > snapshot.getResourcesCount()) {
          // resources gone from the state: forget their parts
          Set<String> names = new HashSet<>();
          snapshot.getResourcesList().forEach(r -> names.add(r.getName()));
          printed.keySet().retainAll(names);
        }
        wroteBefore = true;
      }
      text.write(']');
    }
    if (JournalJson.CURRENT) {
      printAfter(snapshot, text, any);
    } else {
      FieldLines.print(after.build(), text, any ? ",\n" : "\n");
    }
    text.write("\n}\n");
    text.flush();
  }

  /**
   * The fields after the resources (the last plan's id, the finished apply) as JsonFormat prints
   * them, an outcome at a time through {@link JournalJson} (the same text without JsonFormat's
   * reflection, which was most of the final state write of a 100,000-action apply).
   */
  private static void printAfter(StateSnapshot snapshot, Writer text, boolean any)
      throws IOException {
    if (!snapshot.getLastPlanId().isEmpty()) {
      text.write(any ? ",\n" : "\n");
      text.write("  \"lastPlanId\": ");
      text.write(JournalJson.quote(snapshot.getLastPlanId()));
      any = true;
    }
    if (!snapshot.hasFinishedApply()) {
      return;
    }
    FinishedApply finished = snapshot.getFinishedApply();
    text.write(any ? ",\n" : "\n");
    text.write("  \"finishedApply\": {\n");
    boolean inner = false;
    if (!finished.getPlanId().isEmpty()) {
      text.write("    \"planId\": ");
      text.write(JournalJson.quote(finished.getPlanId()));
      inner = true;
    }
    if (!finished.getStartedAt().isEmpty()) {
      text.write(inner ? ",\n    \"startedAt\": " : "    \"startedAt\": ");
      text.write(JournalJson.quote(finished.getStartedAt()));
      inner = true;
    }
    if (finished.getOutcomesCount() > 0) {
      text.write(inner ? ",\n    \"outcomes\": [" : "    \"outcomes\": [");
      for (int i = 0; i < finished.getOutcomesCount(); i++) {
        ActionOutcome outcome = finished.getOutcomes(i);
        if (i > 0) {
          text.write(", ");
        }
        Optional<String> json = JournalJson.pretty(outcome);
        text.write(
            (json.isPresent() ? json.get() : JsonFormat.printer().print(outcome))
                .replace("\n", "\n    "));
      }
      text.write(']');
      inner = true;
    }
    text.write(inner ? "\n  }" : "  }");
  }

  /**
   * What JsonFormat prints for a message, passed on without its braces ({@code "{\n"} first, {@code
   * "\n}"} last): the field lines alone, after a separator, or nothing when the message has no
   * fields.
   */
  private static final class FieldLines implements Appendable {
    private final Writer out;
    private final String separator;
    private int skipped;
    private boolean started;

    /** The last characters seen, passed on only once more come: the closing brace is among them. */
    private final char[] held = new char[2];

    private int heldCount;

    private FieldLines(Writer out, String separator) {
      this.out = out;
      this.separator = separator;
    }

    /** Prints {@code message}'s field lines after {@code separator}; whether it had any. */
    static boolean print(StateSnapshot message, Writer out, String separator) throws IOException {
      FieldLines lines = new FieldLines(out, separator);
      JsonFormat.printer().appendTo(message, lines);
      return lines.started;
    }

    @Override
    public Appendable append(CharSequence text) throws IOException {
      return append(text, 0, text.length());
    }

    @Override
    public Appendable append(CharSequence text, int start, int end) throws IOException {
      while (skipped < 2 && start < end) {
        skipped++;
        start++;
      }
      if (end - start >= 2) {
        // everything held and all but the last two characters go on
        pass(held, heldCount);
        if (end - start > 2) {
          begin();
          out.append(text, start, end - 2);
        }
        held[0] = text.charAt(end - 2);
        held[1] = text.charAt(end - 1);
        heldCount = 2;
      } else if (start < end) {
        append(text.charAt(start));
      }
      return this;
    }

    @Override
    public Appendable append(char c) throws IOException {
      if (skipped < 2) {
        skipped++;
      } else if (heldCount < 2) {
        held[heldCount++] = c;
      } else {
        pass(held, 1);
        held[0] = held[1];
        held[1] = c;
      }
      return this;
    }

    private void pass(char[] chars, int count) throws IOException {
      if (count > 0) {
        begin();
        out.write(chars, 0, count);
      }
    }

    private void begin() throws IOException {
      if (!started) {
        started = true;
        out.write(separator);
      }
    }
  }

  private static void forceDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException ignored) {
      // some file systems cannot open a directory for syncing; the rename itself is still atomic
    }
  }

  private static void writeHolder(FileChannel channel, String purpose) throws IOException {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "unknown host";
    }
    String holder =
        "pid "
            + ProcessHandle.current().pid()
            + " on "
            + host
            + " ("
            + purpose
            + ") since "
            + Instant.now();
    channel.truncate(0);
    channel.write(ByteBuffer.wrap(holder.getBytes(StandardCharsets.UTF_8)), 0);
    channel.force(true);
  }

  private static String readHolder(FileChannel channel) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(4096);
    channel.read(buffer, 0);
    String holder = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).trim();
    return holder.isEmpty() ? "another process" : holder;
  }
}
