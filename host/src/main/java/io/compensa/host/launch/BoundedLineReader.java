package io.compensa.host.launch;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;

/**
 * Reads lines of at most a fixed length from a plugin's output; longer lines come out in pieces.
 *
 * <p>{@code BufferedReader.readLine} holds a whole line in memory however long it is, and
 * go-plugin's scanner once stopped at the first line over 64 KiB: neither may stop the host from
 * reading a plugin's output. Not thread-safe: one reader thread owns it.
 */
final class BoundedLineReader {
  /** The longest piece returned: 64 KiB of characters. */
  static final int DEFAULT_MAX_LINE = 64 * 1024;

  private final Reader reader;
  private final int maxLine;
  private final char[] buffer = new char[8192];
  private int position;
  private int limit;
  private boolean endOfStream;

  BoundedLineReader(InputStream in, int maxLine) {
    this.reader = new InputStreamReader(in, StandardCharsets.UTF_8);
    this.maxLine = maxLine;
  }

  /** The next line or piece of a long line, without its line break; {@code null} at the end. */
  String readLine() throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      if (position == limit) {
        if (endOfStream || !fill()) {
          return line.length() > 0 ? line.toString() : null;
        }
      }
      char c = buffer[position++];
      if (c == '\n') {
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
          line.setLength(end - 1);
        }
        return line.toString();
      }
      line.append(c);
      if (line.length() >= maxLine) {
        return line.toString();
      }
    }
  }

  private boolean fill() throws IOException {
    int read = reader.read(buffer, 0, buffer.length);
    if (read < 0) {
      endOfStream = true;
      return false;
    }
    position = 0;
    limit = read;
    return true;
  }
}
