package io.compensa.host.journal;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.compensa.proto.v1.JournalRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The journal file's line format: {@code <crc32 as 8 hex digits> <record as one-line ProtoJSON>\n}.
 *
 * <p>The checksum tells a record cut short by a crash mid-write (only ever the last line, which is
 * then ignored) from damage (anywhere else, which is an error). Stateless and thread-safe.
 */
final class JournalLines {
  /** A single record longer than this is damage, not a record. */
  static final int MAX_LINE_BYTES = 64 * 1024 * 1024;

  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().omittingInsignificantWhitespace();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser();
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private JournalLines() {}

  /** The records read back, and whether the last line was torn. */
  record Parsed(List<JournalRecord> records, boolean tornTail, int validBytes) {}

  static byte[] encode(JournalRecord record) {
    byte[] body = print(record).getBytes(StandardCharsets.UTF_8);
    // "%08x " of the body's CRC-32, the body, a newline
    byte[] line = new byte[body.length + 10];
    long crc = crc(body);
    for (int i = 7; i >= 0; i--) {
      line[i] = HEX[(int) (crc & 0xf)];
      crc >>>= 4;
    }
    line[8] = ' ';
    System.arraycopy(body, 0, line, 9, body.length);
    line[line.length - 1] = '\n';
    return line;
  }

  /**
   * The record as JsonFormat's compact printer prints it: the records of each action through {@link
   * JournalJson}, which prints the same text without reflection, the rest through JsonFormat.
   */
  static String print(JournalRecord record) {
    StringBuilder json = new StringBuilder(256);
    if (JournalJson.print(record, json, JournalLines::printWithJsonFormat)) {
      return json.toString();
    }
    return printWithJsonFormat(record);
  }

  /** The record as JsonFormat's compact printer prints it, through that printer. */
  static String printWithJsonFormat(com.google.protobuf.MessageOrBuilder record) {
    try {
      return PRINTER.print(record);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a journal record cannot be printed: " + e.getMessage(), e);
    }
  }

  static Parsed decode(byte[] content, String source) throws JournalException {
    List<JournalRecord> records = new ArrayList<>();
    int start = 0;
    int lineNumber = 0;
    while (start < content.length) {
      lineNumber++;
      int end = indexOf(content, (byte) '\n', start);
      boolean last = end < 0 || end == content.length - 1;
      if (end < 0) {
        // no newline: the crash came mid-write; this record never counted
        return new Parsed(records, true, start);
      }
      Exception problem = null;
      JournalRecord record = null;
      if (end - start > MAX_LINE_BYTES) {
        problem = new JournalException("longer than " + MAX_LINE_BYTES + " bytes");
      } else {
        try {
          record = line(content, start, end);
        } catch (JournalException e) {
          problem = e;
        }
      }
      if (problem != null) {
        if (last) {
          return new Parsed(records, true, start);
        }
        throw new JournalException(
            "journal "
                + source
                + " is damaged at line "
                + lineNumber
                + " ("
                + problem.getMessage()
                + "): it cannot be recovered automatically; keep it for an operator",
            problem);
      }
      records.add(record);
      start = end + 1;
    }
    return new Parsed(records, false, content.length);
  }

  /**
   * Whether {@code content[start, end)}, one line without its newline, is an intact completion
   * record.
   */
  static boolean completes(byte[] content, int start, int end) {
    try {
      return line(content, start, end).getRecordCase() == JournalRecord.RecordCase.COMPLETE;
    } catch (JournalException e) {
      return false;
    }
  }

  private static JournalRecord line(byte[] content, int start, int end) throws JournalException {
    if (end - start < 10 || content[start + 8] != ' ') {
      throw new JournalException("not a journal line");
    }
    String checksum = new String(content, start, 8, StandardCharsets.US_ASCII);
    long expected;
    try {
      expected = Long.parseLong(checksum, 16);
    } catch (NumberFormatException e) {
      throw new JournalException("bad checksum \"" + checksum + "\"");
    }
    byte[] body = java.util.Arrays.copyOfRange(content, start + 9, end);
    if (crc(body) != expected) {
      throw new JournalException("checksum mismatch");
    }
    JournalRecord.Builder record = JournalRecord.newBuilder();
    try {
      PARSER.merge(new String(body, StandardCharsets.UTF_8), record);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new JournalException("not a journal record: " + e.getMessage());
    }
    if (record.getRecordCase() == JournalRecord.RecordCase.RECORD_NOT_SET) {
      throw new JournalException("an empty record");
    }
    return record.build();
  }

  private static long crc(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes);
    return crc.getValue();
  }

  private static int indexOf(byte[] content, byte wanted, int from) {
    for (int i = from; i < content.length; i++) {
      if (content[i] == wanted) {
        return i;
      }
    }
    return -1;
  }
}
