package io.compensa.report;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's headless Chromium, run as a process: a page's screenshot, the DOM a harness page builds
 * after the page loaded, the console messages, and the requests the page (not the browser itself)
 * made, read from Chromium's net log. Bin/test and .ci/run install it; a missing one fails the
 * test.
 */
final class Chromium {
  private static final Pattern RESULT =
      Pattern.compile("<pre id=\"result\">(.*?)</pre>", Pattern.DOTALL);

  /** What one headless run saw. */
  record Run(String stdout, List<String> console, List<String> pageRequests) {}

  private final Path binary;
  private final Path work;

  Chromium(Path work) {
    this.binary = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    this.work = work;
    if (!Files.isExecutable(binary)) {
      throw new AssertionError(
          binary
              + " is missing: install Debian's chromium (bin/test and .ci/run do: apt-get install"
              + " chromium), or set CHROMIUM");
    }
  }

  /** Loads {@code page}, 1280x900, and takes a screenshot into {@code png}. */
  Run screenshot(Path page, Path png) throws Exception {
    return run(page, List.of("--window-size=1280,900", "--screenshot=" + png));
  }

  /**
   * Loads {@code page} in an iframe of a harness whose script, once it loaded, measures it and
   * writes what it found as JSON; returns that JSON.
   */
  JsonObject measure(Path page) throws Exception {
    Path harness = work.resolve("harness-" + page.getFileName());
    Files.writeString(
        harness,
        "<!doctype html><html><body style=\"margin:0\"><iframe id=\"r\" src=\""
            + page.toUri()
            + "\" style=\"width:1280px;height:900px;border:0\"></iframe><script>\n"
            + "window.addEventListener('load', () => {\n"
            + "  const d = document.getElementById('r').contentDocument;\n"
            + "  const root = d.documentElement;\n"
            + "  const result = {\n"
            + "    boxes: d.querySelectorAll('svg g.action').length,\n"
            + "    groups: [...d.querySelectorAll('svg g.group')].map(g => g.getAttribute('class') + ' ' + g.getAttribute('data-type')),\n"
            + "    rows: d.querySelectorAll('.details tbody tr').length,\n"
            + "    bars: d.querySelectorAll('.timeline rect.bar').length,\n"
            + "    comps: d.querySelectorAll('.timeline rect.comp').length,\n"
            + "    classes: [...d.querySelectorAll('svg g.action')].map(g => g.getAttribute('class')),\n"
            + "    skippedEdges: d.querySelectorAll('path.edge.skipped-because').length,\n"
            + "    blockedEdges: d.querySelectorAll('path.edge.blocked').length,\n"
            + "    rolledBackEdges: d.querySelectorAll('path.edge.rolled-back-because').length,\n"
            + "    scrollWidth: root.scrollWidth, clientWidth: root.clientWidth,\n"
            + "    outside: [...d.querySelectorAll('[src],[href]')].map(e => e.getAttribute('src') || e.getAttribute('href')),\n"
            + "    text: d.body.innerText\n"
            + "  };\n"
            + "  const pre = document.createElement('pre'); pre.id = 'result';\n"
            + "  pre.textContent = JSON.stringify(result); document.body.appendChild(pre);\n"
            + "});\n</script></body></html>\n");
    Run run =
        run(
            harness,
            List.of("--window-size=1300,950", "--allow-file-access-from-files", "--dump-dom"));
    Matcher found = RESULT.matcher(run.stdout());
    if (!found.find()) {
      throw new AssertionError("the harness wrote no result; Chromium printed: " + run.stdout());
    }
    return JsonParser.parseString(unescape(found.group(1))).getAsJsonObject();
  }

  /** Runs Chromium on {@code page} with {@code flags}, with a deadline. */
  Run run(Path page, List<String> flags) throws Exception {
    Path netLog = Files.createTempFile(work, "net-", ".json");
    Path profile = Files.createTempDirectory(work, "profile-");
    List<String> command =
        new ArrayList<>(
            List.of(
                binary.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--user-data-dir=" + profile,
                "--enable-logging=stderr",
                "--v=0",
                "--log-net-log=" + netLog));
    command.addAll(flags);
    command.add(page.toUri().toString());
    Path out = Files.createTempFile(work, "chromium-", ".out");
    Path err = Files.createTempFile(work, "chromium-", ".err");
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .start();
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new AssertionError("Chromium did not finish with " + page + " within 90 s");
    }
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new AssertionError("Chromium exited " + process.exitValue() + ": " + stderr);
    }
    List<String> console = stderr.lines().filter(l -> l.contains(":CONSOLE")).toList();
    return new Run(Files.readString(out, StandardCharsets.UTF_8), console, pageRequests(netLog));
  }

  /**
   * The URLs of the requests a page made, from the net log: those with an initiator (the browser's
   * own requests, updates and the like, have none: "not an origin").
   */
  static List<String> pageRequests(Path netLog) throws IOException {
    String text = Files.readString(netLog, StandardCharsets.UTF_8);
    if (!text.stripTrailing().endsWith("}")) {
      // Chromium may end the log without closing the events list
      text = text.stripTrailing().replaceAll(",$", "") + "]}";
    }
    JsonObject log = JsonParser.parseString(text).getAsJsonObject();
    Map<String, Integer> types =
        new com.google.gson.Gson()
            .fromJson(
                log.getAsJsonObject("constants").getAsJsonObject("logEventTypes"),
                new com.google.gson.reflect.TypeToken<Map<String, Integer>>() {}.getType());
    int start = types.get("URL_REQUEST_START_JOB");
    List<String> urls = new ArrayList<>();
    for (var event : log.getAsJsonArray("events")) {
      JsonObject e = event.getAsJsonObject();
      if (e.get("type").getAsInt() != start || !e.has("params")) {
        continue;
      }
      JsonObject params = e.getAsJsonObject("params");
      String initiator = params.has("initiator") ? params.get("initiator").getAsString() : "";
      if (params.has("url") && !initiator.isEmpty() && !initiator.equals("not an origin")) {
        urls.add(params.get("url").getAsString());
      }
    }
    return urls;
  }

  private static String unescape(String html) {
    return html.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
  }
}
