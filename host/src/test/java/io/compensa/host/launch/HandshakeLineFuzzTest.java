package io.compensa.host.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.compensa.host.testing.Fuzzing;
import io.compensa.host.testing.Mutator;
import io.compensa.protocol.HandshakeLine;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Hostile handshake lines ({@code -Dcompensa.fuzz.inputs}, default 10,000; seed printed): only
 * {@link IllegalArgumentException} (the documented error) or a parsed line, within 5 s each, with
 * and without AutoMTLS; a line over the reader's 64 KiB bound arrives cut and is refused.
 */
class HandshakeLineFuzzTest {
  private static final int INPUTS = Integer.getInteger("compensa.fuzz.inputs", 10_000);
  private static final long SEED = Long.getLong("compensa.fuzz.seed", System.nanoTime());

  @Test
  void hostileHandshakeLinesAreRefusedOnlyWithIllegalArgumentException() {
    byte[] der = new byte[64];
    List<byte[]> seeds =
        List.of(
            "1|1|unix|/tmp/plugin123/plugin.sock|grpc".getBytes(StandardCharsets.UTF_8),
            "1|1|tcp|127.0.0.1:41234|grpc".getBytes(StandardCharsets.UTF_8),
            ("1|1|tcp|127.0.0.1:41234|grpc|"
                    + Base64.getEncoder().withoutPadding().encodeToString(der))
                .getBytes(StandardCharsets.UTF_8),
            "1|2|unix|/x|netrpc".getBytes(StandardCharsets.UTF_8));
    Mutator mutator = new Mutator(SEED, seeds, List.of("grpc", "unix", "tcp", "1", "2"));
    try (Fuzzing fuzz = new Fuzzing("HandshakeLine.parse", IllegalArgumentException.class, 5)) {
      while (fuzz.inputs() < INPUTS) {
        byte[] input = mutator.next();
        boolean autoMtls = mutator.random().nextBoolean();
        fuzz.run(
            input,
            bytes ->
                HandshakeLine.parse(
                    new String(bytes, StandardCharsets.UTF_8), Set.of(1, 2), autoMtls));
      }
      fuzz.report(SEED);
    }
  }

  @Test
  void aLineOverTheReadersBoundArrivesCutAndIsRefused() throws Exception {
    byte[] huge =
        ("1|1|unix|/" + "a".repeat(BoundedLineReader.DEFAULT_MAX_LINE * 2) + "|grpc\n")
            .getBytes(StandardCharsets.UTF_8);
    BoundedLineReader reader =
        new BoundedLineReader(new ByteArrayInputStream(huge), BoundedLineReader.DEFAULT_MAX_LINE);
    String first = reader.readLine();
    assertThat(first).hasSize(BoundedLineReader.DEFAULT_MAX_LINE);
    assertThatThrownBy(() -> HandshakeLine.parse(first, Set.of(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("handshake");
  }
}
