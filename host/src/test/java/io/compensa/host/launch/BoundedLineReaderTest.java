package io.compensa.host.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoundedLineReaderTest {
  @Test
  void splitsLinesOnNewlinesAndDropsCarriageReturns() throws IOException {
    assertThat(read("first\r\nsecond\nlast without newline", 100))
        .containsExactly("first", "second", "last without newline");
  }

  @Test
  void aLineLongerThanTheLimitComesOutInPiecesAndReadingGoesOn() throws IOException {
    String longLine = "x".repeat(250);

    assertThat(read(longLine + "\nafter\n", 100))
        .containsExactly("x".repeat(100), "x".repeat(100), "x".repeat(50), "after");
  }

  private static List<String> read(String text, int maxLine) throws IOException {
    BoundedLineReader reader =
        new BoundedLineReader(
            new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), maxLine);
    List<String> lines = new ArrayList<>();
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      lines.add(line);
    }
    return lines;
  }
}
