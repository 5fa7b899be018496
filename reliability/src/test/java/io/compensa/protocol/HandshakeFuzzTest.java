package io.compensa.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.compensa.reliability.Refusals;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The handshake line a plugin prints on stdout: parsed, or refused with {@link
 * IllegalArgumentException} quoting the handshake line. The input's first byte says whether the
 * host asked for AutoMTLS (then the line must carry a certificate); a parsed line formats back to a
 * line that parses to the same handshake.
 */
class HandshakeFuzzTest {
  private static final Set<Integer> APP_VERSIONS = Set.of(1, 2);

  @FuzzTest
  void handshakeLine(byte[] input) {
    if (input.length == 0) {
      return;
    }
    boolean autoMtls = (input[0] & 1) == 1;
    String line = new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
    HandshakeLine parsed;
    try {
      parsed = HandshakeLine.parse(line, APP_VERSIONS, autoMtls);
    } catch (IllegalArgumentException e) {
      Refusals.namePlace(e, "handshake");
      return;
    }
    if (parsed.autoMtls() != autoMtls) {
      throw new AssertionError("AutoMTLS " + autoMtls + " but parsed " + parsed);
    }
    HandshakeLine again = HandshakeLine.parse(parsed.format(), APP_VERSIONS, autoMtls);
    if (!again.equals(parsed)) {
      throw new AssertionError(parsed + " formats to " + parsed.format() + ", read as " + again);
    }
  }
}
