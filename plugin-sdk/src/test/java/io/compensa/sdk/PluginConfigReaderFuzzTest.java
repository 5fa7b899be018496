package io.compensa.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.compensa.sdk.internal.StartupException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Hostile {@code COMPENSA_PLUGIN_CONFIG} values ({@code -Dcompensa.fuzz.inputs}, default 10,000,
 * seeded, seed printed): only {@link StartupException} or a parsed configuration, within 5 s each;
 * a value over the size limit is refused.
 */
class PluginConfigReaderFuzzTest {
  private static final int INPUTS = Integer.getInteger("compensa.fuzz.inputs", 10_000);
  private static final long SEED = Long.getLong("compensa.fuzz.seed", System.nanoTime());
  private static final String[] NASTY = {
    "1e999999999",
    "-1e999999999",
    "123456789012345678901234567890",
    "NaN",
    "Infinity",
    "true",
    "null",
    "[]",
    "{}",
    "\"\"",
    "[1,\"a\",null,{}]",
    "\"\\ud800\"",
    "\"\\u0000\"",
    "\"\\",
    "\u0000",
    "\ufeff",
    "'s'",
    ",",
    ":",
    "}",
    "]",
    "[".repeat(5000) + "]".repeat(5000),
    "{\"a\":".repeat(3000) + "1" + "}".repeat(3000),
    "[".repeat(20000),
    "\"" + "x".repeat(20000) + "\"",
    "{\"a\":1,\"a\":2}",
    "\uD800",
    "\uFFFF",
  };

  @Test
  void hostileConfigurationsAreRefusedOnlyWithStartupException() throws Exception {
    System.out.println(
        "[fuzz] PluginConfigReader.read seed " + SEED + " (-Dcompensa.fuzz.seed=" + SEED + ")");
    Random random = new Random(SEED);
    List<String> seeds =
        List.of(
            "{\"root\": \"/srv/data\"}",
            "{\"root\": \"/srv\", \"n\": 1.5, \"list\": [1, \"a\", null, {\"x\": true}], \"nested\": {\"a\": {\"b\": []}}}",
            "{}");
    ExecutorService executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread thread = new Thread(r, "fuzz");
              thread.setDaemon(true);
              return thread;
            });
    List<String> failures = new ArrayList<>();
    int accepted = 0;
    int rejected = 0;
    try {
      for (int i = 0; i < INPUTS; i++) {
        String input = seeds.get(random.nextInt(seeds.size()));
        for (int round = 1 + random.nextInt(3); round > 0 && input.length() < 32 * 1024; round--) {
          input = mutate(input, random);
        }
        String value = input;
        Future<?> result = executor.submit(() -> PluginConfigReader.read(value));
        try {
          result.get(5, TimeUnit.SECONDS);
          accepted++;
        } catch (ExecutionException e) {
          if (e.getCause() instanceof StartupException && e.getCause().getMessage() != null) {
            rejected++;
          } else if (failures.size() < 20) {
            failures.add("input " + i + ": " + e.getCause() + " for " + abbreviate(value));
          }
        } catch (TimeoutException e) {
          result.cancel(true);
          executor.shutdownNow();
          executor = Executors.newSingleThreadExecutor();
          failures.add("input " + i + ": no answer within 5 s for " + abbreviate(value));
        }
      }
    } finally {
      executor.shutdownNow();
    }
    System.out.println(
        "[fuzz] PluginConfigReader.read: "
            + INPUTS
            + " inputs (seed "
            + SEED
            + "): "
            + accepted
            + " accepted, "
            + rejected
            + " rejected with StartupException, "
            + failures.size()
            + " failures");
    assertThat(failures).as("seed " + SEED).isEmpty();
  }

  @Test
  void aConfigurationOverTheLimitIsRefused() {
    String huge = "{\"a\": \"" + "x".repeat(PluginConfigReader.MAX_CHARS) + "\"}";
    assertThatThrownBy(() -> PluginConfigReader.read(huge))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("over the " + PluginConfigReader.MAX_CHARS + "-character limit");
  }

  private static String mutate(String input, Random random) {
    int at = input.isEmpty() ? 0 : random.nextInt(input.length() + 1);
    switch (random.nextInt(7)) {
      case 0:
        { // flip a character
          if (input.isEmpty()) {
            return String.valueOf((char) random.nextInt(0x10000));
          }
          int i = random.nextInt(input.length());
          return input.substring(0, i)
              + (char) random.nextInt(random.nextBoolean() ? 128 : 0x10000)
              + input.substring(i + 1);
        }
      case 1:
        return input.substring(0, random.nextInt(input.length() + 1));
      case 2:
        return input.substring(0, at) + NASTY[random.nextInt(NASTY.length)] + input.substring(at);
      case 3:
        { // invalid UTF-8 decoded as the JVM would decode an environment variable
          byte[] bad = {
            (byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xED, (byte) 0xA0, (byte) 0x80
          };
          return input.substring(0, at)
              + new String(bad, StandardCharsets.UTF_8)
              + input.substring(at);
        }
      case 4:
        { // replace the value after a colon
          int colon = input.indexOf(':', at);
          if (colon < 0) {
            return input + NASTY[random.nextInt(NASTY.length)];
          }
          int end = colon + 1;
          while (end < input.length() && ",}]".indexOf(input.charAt(end)) < 0) {
            end++;
          }
          return input.substring(0, colon + 1)
              + NASTY[random.nextInt(NASTY.length)]
              + input.substring(end);
        }
      case 5:
        {
          int from = input.isEmpty() ? 0 : random.nextInt(input.length());
          int to = Math.min(input.length(), from + 1 + random.nextInt(20));
          return input.substring(0, from) + input.substring(to);
        }
      default:
        {
          char[] noise = new char[random.nextInt(50)];
          for (int i = 0; i < noise.length; i++) {
            noise[i] = (char) random.nextInt(128);
          }
          return random.nextBoolean() ? new String(noise) : "{" + new String(noise);
        }
    }
  }

  private static String abbreviate(String value) {
    return value.length()
        + " chars \""
        + (value.length() > 300 ? value.substring(0, 300) + "..." : value)
        + "\"";
  }
}
