package io.compensa.host.launch;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The last lines a plugin wrote to stderr, kept for error messages.
 *
 * <p>A ring buffer: adding past capacity drops the oldest line. Lines longer than 1000 characters
 * are cut so a tail of many long lines stays small. Thread-safe.
 */
final class StderrTail {
  private static final int MAX_KEPT_LENGTH = 1000;

  private final int capacity;
  private final Deque<String> lines;

  StderrTail(int capacity) {
    this.capacity = capacity;
    this.lines = new ArrayDeque<>(capacity);
  }

  synchronized void add(String line) {
    if (capacity == 0) {
      return;
    }
    if (lines.size() == capacity) {
      lines.removeFirst();
    }
    lines.addLast(
        line.length() > MAX_KEPT_LENGTH
            ? line.substring(0, MAX_KEPT_LENGTH) + "... (" + line.length() + " characters)"
            : line);
  }

  synchronized List<String> lines() {
    return List.copyOf(lines);
  }
}
