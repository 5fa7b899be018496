package io.compensa.report;

import io.compensa.host.report.ApplyGraph;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.CompensationDetail;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * An apply (or a plan not yet applied) as one self-contained HTML page: a summary, the plan's graph
 * as inline SVG (laid out by {@link GraphLayout}: one box per action, coloured by its outcome, the
 * cascade drawn dashed), and a table with each action's driver error, hook error, compensation and
 * skip reason. The page holds no script and asks for nothing outside itself (its content security
 * policy forbids it); hovering a box shows its details. Output values are not shown, so no
 * sensitive value can reach the page. Stateless.
 */
public final class HtmlReport {
  /** Above this many actions the graph groups them by resource type, to stay readable. */
  static final int GROUP_ABOVE = 150;

  private HtmlReport() {}

  /**
   * Renders {@code graph}.
   *
   * @param graph the plan, with its outcomes when it was applied
   * @return the page
   */
  public static String render(ApplyGraph graph) {
    return render(graph, false);
  }

  /**
   * Renders {@code graph}, saying whether {@code compensa recover} finished the apply (after the
   * host died during it).
   *
   * @param graph the plan, with its outcomes when it was applied
   * @param byRecover whether the outcomes are those of a recover
   * @return the page
   */
  public static String render(ApplyGraph graph, boolean byRecover) {
    boolean grouped = graph.nodes().size() > GROUP_ABOVE;
    Map<String, Shape> shapes = grouped ? groups(graph) : actions(graph);
    GraphLayout.Picture picture =
        grouped
            ? GraphLayout.of(List.copyOf(shapes.keySet()), groupLinks(graph))
            : GraphLayout.of(graph);
    StringBuilder html = new StringBuilder(16 * 1024);
    html.append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    html.append(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"
            + " style-src 'unsafe-inline'\">\n");
    html.append("<title>Compensa ")
        .append(graph.applied() ? "apply" : "plan")
        .append(" report: ")
        .append(escape(graph.planId()))
        .append("</title>\n<style>\n")
        .append(CSS)
        .append("</style>\n</head>\n<body>\n");
    html.append("<header>\n<h1>")
        .append(graph.applied() ? "Apply of plan " : "Plan ")
        .append(escape(graph.planId()))
        .append("</h1>\n<p class=\"summary\">")
        .append(escape(summary(graph, byRecover)))
        .append(
            grouped
                ? "; the graph shows one box per resource type (more than "
                    + GROUP_ABOVE
                    + " actions),"
                    + " the table every action"
                : "")
        .append("</p>\n</header>\n");
    html.append("<section class=\"graph\">\n");
    svg(html, picture, shapes);
    html.append("</section>\n");
    Timeline.write(html, graph);
    table(html, graph);
    html.append("</body>\n</html>\n");
    return html.toString();
  }

  private static String summary(ApplyGraph graph, boolean byRecover) {
    Map<String, Integer> counts = new TreeMap<>();
    graph.nodes().forEach(n -> counts.merge(n.status(), 1, Integer::sum));
    StringBuilder text = new StringBuilder();
    text.append(graph.nodes().size()).append(graph.nodes().size() == 1 ? " action" : " actions");
    counts.forEach((status, count) -> text.append(", ").append(count).append(' ').append(status));
    long recovered =
        graph.nodes().stream()
            .filter(n -> n.outcome().map(o -> o.getRecovered()).orElse(false))
            .count();
    if (recovered > 0 || byRecover) {
      text.append(". The host died during this apply: compensa recover finished it");
      if (recovered > 0) {
        text.append(" and settled ")
            .append(recovered)
            .append(recovered == 1 ? " action" : " actions")
            .append(" that were under way (drawn dashed)");
      } else {
        text.append(" (every action had its outcome; recover ended the apply)");
      }
    }
    return text.toString();
  }

  /** What one box shows: its class, status, three lines and its tooltip. */
  private record Shape(
      String cls,
      String status,
      String dataName,
      String dataValue,
      List<String> lines,
      String tooltip) {}

  /** One box per action. */
  private static Map<String, Shape> actions(ApplyGraph graph) {
    Map<String, Shape> shapes = new LinkedHashMap<>();
    for (ApplyGraph.Node node : graph.nodes()) {
      shapes.put(
          node.id(),
          new Shape(
              node.outcome().map(o -> o.getRecovered()).orElse(false)
                  ? "action recovered"
                  : "action",
              node.status(),
              "data-action",
              node.id(),
              List.of(
                  node.kind() + " " + node.action().getResource().getType(),
                  node.action().getResource().getName(),
                  node.status()),
              tooltip(node)));
    }
    return shapes;
  }

  /** One box per resource type, showing how its actions ended; its status is the worst of them. */
  private static Map<String, Shape> groups(ApplyGraph graph) {
    Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
    for (ApplyGraph.Node node : graph.nodes()) {
      counts
          .computeIfAbsent(node.action().getResource().getType(), t -> new TreeMap<>())
          .merge(node.status(), 1, Integer::sum);
    }
    Map<String, Shape> shapes = new LinkedHashMap<>();
    counts.forEach(
        (type, byStatus) -> {
          int total = byStatus.values().stream().mapToInt(Integer::intValue).sum();
          String worst =
              byStatus.keySet().stream()
                  .max(java.util.Comparator.comparingInt(HtmlReport::severity))
                  .orElse("PLANNED");
          StringBuilder mix = new StringBuilder();
          byStatus.forEach(
              (status, n) ->
                  mix.append(mix.length() == 0 ? "" : ", ").append(n).append(' ').append(status));
          shapes.put(
              "type:" + type,
              new Shape(
                  "group",
                  worst,
                  "data-type",
                  type,
                  List.of(type, total + " actions", mix.toString()),
                  type + ": " + total + " actions: " + mix));
        });
    return shapes;
  }

  /** The arrows between types: one per pair and kind the actions' edges connect. */
  private static List<GraphLayout.Link> groupLinks(ApplyGraph graph) {
    Map<String, String> typeOf = new HashMap<>();
    graph.nodes().forEach(n -> typeOf.put(n.id(), "type:" + n.action().getResource().getType()));
    Map<String, GraphLayout.Link> links = new LinkedHashMap<>();
    for (ApplyGraph.Edge edge : graph.edges()) {
      String from = typeOf.get(edge.from());
      String to = typeOf.get(edge.to());
      if (from.equals(to)) {
        continue;
      }
      String kind = edge.kind().name().toLowerCase(Locale.ROOT).replace('_', '-');
      links.putIfAbsent(
          from + "|" + to + "|" + kind,
          new GraphLayout.Link(
              from,
              to,
              kind,
              edge.kind() == ApplyGraph.EdgeKind.BLOCKED
                  || edge.kind() == ApplyGraph.EdgeKind.ROLLED_BACK_BECAUSE));
    }
    return List.copyOf(links.values());
  }

  /** How bad a status is, for the colour of a group. */
  private static int severity(String status) {
    return List.of(
            "PLANNED",
            "SUCCESS",
            "SKIPPED",
            "COMPENSATED",
            "ERROR",
            "DELETE_FAILED",
            "COMPENSATION_FAILED")
        .indexOf(status);
  }

  private static void svg(
      StringBuilder html, GraphLayout.Picture picture, Map<String, Shape> shapes) {
    long width = Math.round(Math.ceil(picture.width()));
    long height = Math.round(Math.ceil(picture.height()));
    html.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
        .append(width)
        .append(' ')
        .append(height)
        .append("\" width=\"")
        .append(width)
        .append("\" height=\"")
        .append(height)
        .append("\" role=\"img\" aria-label=\"the plan's actions and their dependencies\">\n");
    html.append(
        "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\""
            + " markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\"/>"
            + "</marker></defs>\n");
    for (GraphLayout.Arrow arrow : picture.arrows()) {
      StringBuilder path = new StringBuilder();
      for (double[] point : arrow.points()) {
        path.append(path.length() == 0 ? "M" : " L").append(fmt(point[0])).append(',');
        path.append(fmt(point[1]));
      }
      html.append("<path class=\"edge ")
          .append(arrow.link().kind())
          .append("\" data-from=\"")
          .append(escape(arrow.link().from()))
          .append("\" data-to=\"")
          .append(escape(arrow.link().to()))
          .append("\" d=\"")
          .append(path)
          .append("\" marker-end=\"url(#arrow)\"/>\n");
    }
    for (GraphLayout.Box box : picture.boxes()) {
      Shape shape = shapes.get(box.id());
      html.append("<g class=\"")
          .append(shape.cls())
          .append(" status-")
          .append(shape.status())
          .append("\" ")
          .append(shape.dataName())
          .append("=\"")
          .append(escape(shape.dataValue()))
          .append("\" transform=\"translate(")
          .append(fmt(box.x()))
          .append(',')
          .append(fmt(box.y()))
          .append(")\">\n<title>")
          .append(escape(shape.tooltip()))
          .append("</title>\n<rect width=\"")
          .append(fmt(box.width()))
          .append("\" height=\"")
          .append(fmt(box.height()))
          .append("\" rx=\"6\"/>\n");
      text(html, 10, 18, "kind", shape.lines().get(0));
      text(html, 10, 35, "name", shape.lines().get(1));
      text(html, 10, 51, "status", shape.lines().get(2));
      html.append("</g>\n");
    }
    html.append("</svg>\n");
  }

  private static void text(StringBuilder html, int x, int y, String cls, String content) {
    String shown = content.length() > 26 ? content.substring(0, 25) + "\u2026" : content;
    html.append("<text class=\"")
        .append(cls)
        .append("\" x=\"")
        .append(x)
        .append("\" y=\"")
        .append(y)
        .append("\">")
        .append(escape(shown))
        .append("</text>\n");
  }

  private static String tooltip(ApplyGraph.Node node) {
    StringBuilder text =
        new StringBuilder(
            node.kind()
                + " "
                + node.action().getResource().getType()
                + " \""
                + node.action().getResource().getName()
                + "\": "
                + node.status());
    node.outcome()
        .ifPresent(
            outcome ->
                details(outcome)
                    .forEach((k, v) -> text.append("\n").append(k).append(": ").append(v)));
    return text.toString();
  }

  /** An outcome's details, in the order an operator reads them. */
  private static Map<String, String> details(ActionOutcome outcome) {
    Map<String, String> details = new java.util.LinkedHashMap<>();
    if (!outcome.getDriverError().isEmpty()) {
      details.put("driver error", outcome.getDriverError());
    }
    if (!outcome.getHookError().isEmpty()) {
      details.put("failed step", outcome.getHookError());
    }
    if (outcome.hasCompensation()) {
      CompensationDetail compensation = outcome.getCompensation();
      String by =
          compensation.getCompensator().name().replace("COMPENSATOR_", "").toLowerCase(Locale.ROOT);
      String who =
          compensation.getCompensator() == io.compensa.proto.v1.Compensator.COMPENSATOR_UNSPECIFIED
              ? ""
              : (compensation.getCall().isEmpty() ? by : by + " " + compensation.getCall())
                  + (compensation.getResult()
                          == io.compensa.proto.v1.ActionStatus.ACTION_STATUS_UNSPECIFIED
                      ? ""
                      : " \u2192 "
                          + compensation.getResult().name().substring("ACTION_STATUS_".length()))
                  + ": ";
      details.put("compensation", who + compensation.getDetail());
      if (!compensation.getBlockedBy().isEmpty()) {
        details.put("blocked by", compensation.getBlockedBy());
      }
    }
    if (!outcome.getSkipReason().isEmpty()) {
      details.put("skipped", outcome.getSkipReason());
    }
    if (outcome.getRecovered()) {
      details.put("recovered", "settled by compensa recover after the host died");
    }
    if (!outcome.getDriverOutput().getProviderId().isEmpty()) {
      details.put("provider id", outcome.getDriverOutput().getProviderId());
    }
    return details;
  }

  private static void table(StringBuilder html, ApplyGraph graph) {
    html.append(
        "<section class=\"details\">\n<table>\n<thead><tr><th>resource</th><th>action</th>"
            + "<th>type</th><th>outcome</th><th>details</th></tr></thead>\n<tbody>\n");
    for (ApplyGraph.Node node : graph.nodes()) {
      html.append("<tr id=\"row-")
          .append(escape(node.id()))
          .append("\" class=\"status-")
          .append(node.status())
          .append("\"><td>")
          .append(escape(node.action().getResource().getName()))
          .append("</td><td>")
          .append(node.kind())
          .append("</td><td>")
          .append(escape(node.action().getResource().getType()))
          .append("</td><td class=\"outcome\">")
          .append(node.status())
          .append("</td><td>");
      node.outcome()
          .ifPresent(
              outcome ->
                  details(outcome)
                      .forEach(
                          (k, v) ->
                              html.append("<div><b>")
                                  .append(escape(k))
                                  .append(":</b> ")
                                  .append(escape(v))
                                  .append("</div>")));
      html.append("</td></tr>\n");
    }
    html.append("</tbody>\n</table>\n</section>\n");
  }

  private static String fmt(double value) {
    return value == Math.rint(value)
        ? Long.toString((long) value)
        : String.format(Locale.ROOT, "%.1f", value);
  }

  static String escape(String text) {
    StringBuilder escaped = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '&' -> escaped.append("&amp;");
        case '"' -> escaped.append("&quot;");
        case '\'' -> escaped.append("&#39;");
        default -> escaped.append(c);
      }
    }
    return escaped.toString();
  }

  private static final String CSS =
      """
      body { font: 14px/1.4 system-ui, sans-serif; margin: 16px; color: #1d2733; }
      h1 { font-size: 20px; margin: 0 0 4px; }
      .summary { margin: 0 0 12px; color: #4a5663; }
      .graph { overflow: auto; max-width: 100%; border: 1px solid #d8dee6; border-radius: 6px; }
      svg text { font: 12px system-ui, sans-serif; }
      svg text.name { font-weight: 600; }
      svg .group rect { stroke-width: 2.5; }
      svg .recovered rect { stroke-dasharray: 6 3; stroke-width: 2.5; }
      svg .action rect { stroke-width: 1.5; }
      .edge { fill: none; stroke: #6b7785; stroke-width: 1.3; }
      .edge.skipped-because { stroke: #c62828; stroke-dasharray: 5 4; }
      .edge.blocked { stroke: #6a1b9a; stroke-dasharray: 5 4; }
      .edge.rolled-back-because { stroke: #b7791f; stroke-dasharray: 2 4; }
      marker path { fill: #6b7785; }
      .status-PLANNED rect { fill: #eef3fb; stroke: #4a6fa5; }
      .status-SUCCESS rect { fill: #dff3e3; stroke: #2e7d32; }
      .status-ERROR rect { fill: #fbe0e0; stroke: #c62828; }
      .status-DELETE_FAILED rect { fill: #f6c9c9; stroke: #8e0000; }
      .status-COMPENSATED rect { fill: #fff1cc; stroke: #b7791f; }
      .status-COMPENSATION_FAILED rect { fill: #eadcf5; stroke: #6a1b9a; }
      .status-SKIPPED rect { fill: #eeeeee; stroke: #757575; }
      .details { overflow-x: auto; margin-top: 16px; }
      h2 { font-size: 16px; margin: 18px 0 6px; }
      .timeline svg { width: 100%; height: auto; display: block; }
      .timeline text { font: 11px system-ui, sans-serif; fill: #4a5663; }
      .timeline line.tick { stroke: #e3e8ee; }
      .timeline rect.comp { fill: #b7791f; stroke: none; opacity: 0.85; }
      .timeline line.recover { stroke: #c62828; stroke-width: 2; stroke-dasharray: 4 3; }
      table { border-collapse: collapse; width: 100%; }
      th, td { text-align: left; vertical-align: top; padding: 4px 8px; border-bottom: 1px solid #e3e8ee; }
      td { overflow-wrap: anywhere; }
      td.outcome { font-weight: 600; white-space: nowrap; }
      """;
}
