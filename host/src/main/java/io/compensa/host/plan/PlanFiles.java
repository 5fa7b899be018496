package io.compensa.host.plan;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.compensa.proto.v1.Plan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Reads and writes plans as ProtoJSON files.
 *
 * <p>Reading refuses unknown fields, so a typo in a plan file is an error rather than a silently
 * ignored setting. Writing goes through a temporary file and a rename, so a plan file is never left
 * half-written. Stateless and thread-safe.
 */
public final class PlanFiles {
  /**
   * Plans larger than this are refused before parsing: a plan is a list of resources, not a data
   * set.
   */
  public static final long MAX_PLAN_BYTES = 64L * 1024 * 1024;

  private PlanFiles() {}

  /** Reads the plan in {@code file}, naming the file and the problem when it cannot. */
  public static Plan read(Path file) throws InvalidPlanException {
    String json;
    try {
      long size = Files.size(file);
      if (size > MAX_PLAN_BYTES) {
        throw new InvalidPlanException(
            String.format(
                "plan file %s is %d bytes, over the %d-byte limit", file, size, MAX_PLAN_BYTES));
      }
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new InvalidPlanException("plan file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new InvalidPlanException("cannot read plan file " + file + ": " + e.getMessage(), e);
    }
    return parse(json, file.toString());
  }

  /** Parses ProtoJSON text; {@code source} names where it came from in error messages. */
  public static Plan parse(String json, String source) throws InvalidPlanException {
    Plan.Builder plan = Plan.newBuilder();
    try {
      JsonFormat.parser().merge(json, plan);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new InvalidPlanException(
          "plan " + source + " is not a valid plan (ProtoJSON of compensa.v1.Plan): " + plainly(e),
          e);
    }
    return plan.build();
  }

  /** The parser's message without the Java exception class names it wraps. */
  private static String plainly(Exception e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    // anchored at a word boundary and possessive: on a long run of lowercase letters (a hostile
    // plan
    // quoted in the message) the unanchored pattern backtracked quadratically, seconds per 20 KB
    return message.replaceAll("\\b(?:[a-z]++\\.)++[A-Z][A-Za-z]*+(?:Exception|Error): ", "");
  }

  /** Writes {@code plan} to {@code file} atomically as ProtoJSON. */
  public static void write(Plan plan, Path file) throws IOException {
    String json = JsonFormat.printer().print(plan);
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
    try {
      Files.writeString(tmp, json + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
