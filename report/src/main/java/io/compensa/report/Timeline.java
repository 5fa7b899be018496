package io.compensa.report;

import io.compensa.host.report.ApplyGraph;
import io.compensa.proto.v1.ActionOutcome;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The report's waterfall: every action that ran, and every compensation call, as a bar on one time
 * axis (from the outcomes' {@code started_at} and {@code finished_at}), so that parallelism and the
 * slow action show. A compensation is drawn over its action's row, darker. The chart scales to the
 * page's width. Stateless.
 */
final class Timeline {
  private static final double LABEL = 190;
  private static final double CHART = 900;
  private static final double ROW = 18;
  private static final double TOP = 22;

  private record Bar(ApplyGraph.Node node, Instant start, Instant end, Optional<Instant[]> comp) {}

  private Timeline() {}

  /** Appends the timeline section, or nothing when no outcome has times. */
  static void write(StringBuilder html, ApplyGraph graph) {
    List<Bar> bars = new ArrayList<>();
    for (ApplyGraph.Node node : graph.nodes()) {
      if (node.outcome().isEmpty()) {
        continue;
      }
      ActionOutcome outcome = node.outcome().get();
      Optional<Instant> start = instant(outcome.getStartedAt());
      Optional<Instant> end = instant(outcome.getFinishedAt());
      if (start.isEmpty() || end.isEmpty()) {
        continue;
      }
      Optional<Instant> compStart = instant(outcome.getCompensation().getStartedAt());
      Optional<Instant> compEnd = instant(outcome.getCompensation().getFinishedAt());
      Optional<Instant[]> comp =
          compStart.isPresent() && compEnd.isPresent()
              ? Optional.of(new Instant[] {compStart.get(), compEnd.get()})
              : Optional.empty();
      bars.add(new Bar(node, start.get(), end.get(), comp));
    }
    if (bars.isEmpty()) {
      return;
    }
    bars.sort(Comparator.comparing(Bar::start));
    Instant first = bars.get(0).start();
    Instant last = first;
    for (Bar bar : bars) {
      last = max(last, bar.end());
      if (bar.comp().isPresent()) {
        last = max(last, bar.comp().get()[1]);
      }
    }
    double span = Math.max(1, Duration.between(first, last).toNanos() / 1e6);
    double height = TOP + bars.size() * ROW + 6;
    html.append("<section class=\"timeline\">\n<h2>Timeline</h2>\n")
        .append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
        .append(fmt(LABEL + CHART + 20))
        .append(' ')
        .append(fmt(height))
        .append("\" role=\"img\" aria-label=\"when each action and compensation ran\">\n");
    for (int i = 0; i <= 4; i++) {
      double x = LABEL + CHART * i / 4;
      html.append("<line class=\"tick\" x1=\"")
          .append(fmt(x))
          .append("\" y1=\"14\" x2=\"")
          .append(fmt(x))
          .append("\" y2=\"")
          .append(fmt(height))
          .append("\"/>\n<text x=\"")
          .append(fmt(x))
          .append(
              i == 4
                  ? "\" text-anchor=\"end"
                  : i == 0 ? "\" text-anchor=\"start" : "\" text-anchor=\"middle")
          .append("\" y=\"11\">")
          .append(duration(span * i / 4))
          .append("</text>\n");
    }
    Optional<Instant> recover =
        bars.stream()
            .filter(b -> b.node().outcome().get().getRecovered())
            .map(Bar::start)
            .min(Comparator.naturalOrder());
    if (recover.isPresent()) {
      // where recover took over: what ran before it was the dead host's
      double x = LABEL + CHART * millis(first, recover.get()) / span;
      html.append("<line class=\"recover\" x1=\"")
          .append(fmt(x))
          .append("\" y1=\"14\" x2=\"")
          .append(fmt(x))
          .append("\" y2=\"")
          .append(fmt(height))
          .append("\"><title>compensa recover began settling here</title></line>\n");
    }
    double y = TOP;
    for (Bar bar : bars) {
      ApplyGraph.Node node = bar.node();
      double x = LABEL + CHART * millis(first, bar.start()) / span;
      double w = Math.max(2, CHART * millis(bar.start(), bar.end()) / span);
      String name = node.action().getResource().getName();
      html.append("<g class=\"row status-")
          .append(node.status())
          .append("\" data-action=\"")
          .append(HtmlReport.escape(node.id()))
          .append("\">\n<text x=\"0\" y=\"")
          .append(fmt(y + 12))
          .append("\">")
          .append(HtmlReport.escape(name.length() > 28 ? name.substring(0, 27) + "\u2026" : name))
          .append("</text>\n<rect class=\"bar\" x=\"")
          .append(fmt(x))
          .append("\" y=\"")
          .append(fmt(y + 2))
          .append("\" width=\"")
          .append(fmt(w))
          .append("\" height=\"")
          .append(fmt(ROW - 5))
          .append("\"><title>")
          .append(
              HtmlReport.escape(
                  node.kind()
                      + " "
                      + name
                      + ": "
                      + node.status()
                      + ", "
                      + duration(millis(bar.start(), bar.end()))))
          .append("</title></rect>\n");
      if (bar.comp().isPresent()) {
        Instant[] comp = bar.comp().get();
        double cx = LABEL + CHART * millis(first, comp[0]) / span;
        double cw = Math.max(2, CHART * millis(comp[0], comp[1]) / span);
        html.append("<rect class=\"comp\" x=\"")
            .append(fmt(cx))
            .append("\" y=\"")
            .append(fmt(y + 5))
            .append("\" width=\"")
            .append(fmt(cw))
            .append("\" height=\"")
            .append(fmt(ROW - 11))
            .append("\"><title>compensation of ")
            .append(HtmlReport.escape(name))
            .append(", ")
            .append(duration(millis(comp[0], comp[1])))
            .append("</title></rect>\n");
      }
      html.append("</g>\n");
      y += ROW;
    }
    html.append("</svg>\n</section>\n");
  }

  private static Optional<Instant> instant(String text) {
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(text));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static double millis(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e6;
  }

  private static String duration(double millis) {
    return millis < 1000
        ? String.format(Locale.ROOT, "%.0f ms", millis)
        : String.format(Locale.ROOT, "%.2f s", millis / 1000);
  }

  private static String fmt(double value) {
    return value == Math.rint(value)
        ? Long.toString((long) value)
        : String.format(Locale.ROOT, "%.1f", value);
  }
}
