package io.compensa.host.cli;

import io.compensa.host.report.ApplyGraph;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes an {@link ApplyGraph} as Graphviz DOT or as Mermaid flowchart text, left to right: one box
 * per action ("kind type name", and its outcome when applied) coloured by its status; solid arrows
 * for dependencies, dashed red ones for the cascade (what a failure made skipped, and which
 * dependent blocked a rollback). Stateless.
 */
final class GraphText {
  /** Fill and stroke colours per status, the same in both formats. */
  private static final Map<String, String[]> COLOURS =
      Map.of(
          "PLANNED", new String[] {"#eef3fb", "#4a6fa5"},
          "SUCCESS", new String[] {"#dff3e3", "#2e7d32"},
          "ERROR", new String[] {"#fbe0e0", "#c62828"},
          "DELETE_FAILED", new String[] {"#f6c9c9", "#8e0000"},
          "COMPENSATED", new String[] {"#fff1cc", "#b7791f"},
          "COMPENSATION_FAILED", new String[] {"#eadcf5", "#6a1b9a"},
          "SKIPPED", new String[] {"#eeeeee", "#757575"});

  private GraphText() {}

  /** The graph as DOT. */
  static String dot(ApplyGraph graph) {
    StringBuilder dot = new StringBuilder();
    dot.append("digraph \"").append(escapeDot(graph.planId())).append("\" {\n");
    dot.append("  rankdir=LR;\n");
    dot.append("  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];\n");
    for (ApplyGraph.Node node : graph.nodes()) {
      String[] colour = colour(node.status());
      dot.append("  \"")
          .append(escapeDot(node.id()))
          .append("\" [label=\"")
          .append(escapeDot(label(node, "\n")))
          .append("\", fillcolor=\"")
          .append(colour[0])
          .append("\", color=\"")
          .append(colour[1])
          .append("\", class=\"")
          .append(node.status())
          .append("\"];\n");
    }
    for (ApplyGraph.Edge edge : graph.edges()) {
      dot.append("  \"")
          .append(escapeDot(edge.from()))
          .append("\" -> \"")
          .append(escapeDot(edge.to()))
          .append('"');
      switch (edge.kind()) {
        case SKIPPED_BECAUSE -> dot.append(" [style=dashed, color=\"#c62828\", label=\"skipped\"]");
        case BLOCKED -> dot.append(" [style=dashed, color=\"#6a1b9a\", label=\"blocked\"]");
        case ROLLED_BACK_BECAUSE ->
            dot.append(" [style=dashed, color=\"#b7791f\", label=\"rolled back\"]");
        default -> {}
      }
      dot.append(";\n");
    }
    dot.append("}\n");
    return dot.toString();
  }

  /** The graph as a Mermaid flowchart. */
  static String mermaid(ApplyGraph graph) {
    StringBuilder text = new StringBuilder("flowchart LR\n");
    Map<String, String> ids = new HashMap<>();
    for (ApplyGraph.Node node : graph.nodes()) {
      String id = "a" + ids.size();
      ids.put(node.id(), id);
      text.append("  ")
          .append(id)
          .append("[\"")
          .append(escapeMermaid(label(node, "<br/>")))
          .append("\"]:::")
          .append(node.status().toLowerCase(java.util.Locale.ROOT))
          .append('\n');
    }
    for (ApplyGraph.Edge edge : graph.edges()) {
      String arrow =
          switch (edge.kind()) {
            case SKIPPED_BECAUSE -> " -. skipped .-> ";
            case BLOCKED -> " -. blocked .-> ";
            case ROLLED_BACK_BECAUSE -> " -. rolled back .-> ";
            default -> " --> ";
          };
      text.append("  ").append(ids.get(edge.from())).append(arrow).append(ids.get(edge.to()));
      text.append('\n');
    }
    for (ApplyGraph.Node node : graph.nodes()) {
      String status = node.status();
      String marker = "  classDef " + status.toLowerCase(java.util.Locale.ROOT) + " ";
      if (text.indexOf(marker) < 0) {
        String[] colour = colour(status);
        text.append(marker).append("fill:").append(colour[0]).append(",stroke:").append(colour[1]);
        text.append('\n');
      }
    }
    return text.toString();
  }

  private static String label(ApplyGraph.Node node, String newline) {
    String label =
        node.kind()
            + " "
            + node.action().getResource().getType()
            + newline
            + node.action().getResource().getName();
    return node.outcome().isPresent() ? label + newline + node.status() : label;
  }

  private static String[] colour(String status) {
    return COLOURS.getOrDefault(status, COLOURS.get("PLANNED"));
  }

  private static String escapeDot(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private static String escapeMermaid(String text) {
    return text.replace("\"", "#quot;");
  }
}
