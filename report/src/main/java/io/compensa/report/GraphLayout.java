package io.compensa.report;

import io.compensa.host.report.ApplyGraph;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.elk.alg.layered.options.LayeredMetaDataProvider;
import org.eclipse.elk.alg.layered.options.LayeredOptions;
import org.eclipse.elk.core.RecursiveGraphLayoutEngine;
import org.eclipse.elk.core.data.LayoutMetaDataService;
import org.eclipse.elk.core.options.CoreOptions;
import org.eclipse.elk.core.options.Direction;
import org.eclipse.elk.core.options.EdgeRouting;
import org.eclipse.elk.core.util.BasicProgressMonitor;
import org.eclipse.elk.graph.ElkEdge;
import org.eclipse.elk.graph.ElkEdgeSection;
import org.eclipse.elk.graph.ElkNode;
import org.eclipse.elk.graph.util.ElkGraphUtil;

/**
 * Where each box and arrow of an {@link ApplyGraph} goes: Eclipse ELK's layered algorithm, left to
 * right (what an action waits for is to its left), orthogonal edges. Stateless; ELK's registry is
 * set up once per class loader.
 */
public final class GraphLayout {
  /** A box's size, in SVG user units. */
  static final double NODE_WIDTH = 190;

  static final double NODE_HEIGHT = 58;

  private static volatile boolean registered;

  /** A laid-out box. */
  public record Box(ApplyGraph.Node node, double x, double y, double width, double height) {}

  /** A laid-out arrow: its points from source to target. */
  public record Arrow(ApplyGraph.Edge edge, List<double[]> points) {}

  /** The whole picture. */
  public record Picture(List<Box> boxes, List<Arrow> arrows, double width, double height) {}

  private GraphLayout() {}

  /**
   * Lays {@code graph} out.
   *
   * @param graph the graph
   * @return where each box and arrow goes
   */
  public static Picture of(ApplyGraph graph) {
    register();
    ElkNode root = ElkGraphUtil.createGraph();
    root.setProperty(CoreOptions.ALGORITHM, LayeredOptions.ALGORITHM_ID);
    root.setProperty(CoreOptions.DIRECTION, Direction.RIGHT);
    root.setProperty(CoreOptions.EDGE_ROUTING, EdgeRouting.ORTHOGONAL);
    root.setProperty(CoreOptions.SPACING_NODE_NODE, 24.0);
    root.setProperty(LayeredOptions.SPACING_NODE_NODE_BETWEEN_LAYERS, 48.0);
    root.setProperty(CoreOptions.PADDING, new org.eclipse.elk.core.math.ElkPadding(16));
    Map<String, ElkNode> nodes = new LinkedHashMap<>();
    for (ApplyGraph.Node node : graph.nodes()) {
      ElkNode box = ElkGraphUtil.createNode(root);
      box.setIdentifier(node.id());
      box.setDimensions(NODE_WIDTH, NODE_HEIGHT);
      nodes.put(node.id(), box);
    }
    Map<ElkEdge, ApplyGraph.Edge> edges = new LinkedHashMap<>();
    for (ApplyGraph.Edge edge : graph.edges()) {
      // a blocked edge runs against the dependencies (from a dependent back to what it depends
      // on): laid out the other way round, so that it never turns the layering around
      boolean against = edge.kind() == ApplyGraph.EdgeKind.BLOCKED;
      ElkNode source = nodes.get(against ? edge.to() : edge.from());
      ElkNode target = nodes.get(against ? edge.from() : edge.to());
      edges.put(ElkGraphUtil.createSimpleEdge(source, target), edge);
    }
    new RecursiveGraphLayoutEngine().layout(root, new BasicProgressMonitor());
    List<Box> boxes = new ArrayList<>();
    for (ApplyGraph.Node node : graph.nodes()) {
      ElkNode box = nodes.get(node.id());
      boxes.add(new Box(node, box.getX(), box.getY(), box.getWidth(), box.getHeight()));
    }
    List<Arrow> arrows = new ArrayList<>();
    edges.forEach(
        (elk, edge) -> {
          List<double[]> points = new ArrayList<>();
          for (ElkEdgeSection section : elk.getSections()) {
            points.add(new double[] {section.getStartX(), section.getStartY()});
            section.getBendPoints().forEach(b -> points.add(new double[] {b.getX(), b.getY()}));
            points.add(new double[] {section.getEndX(), section.getEndY()});
          }
          if (edge.kind() == ApplyGraph.EdgeKind.BLOCKED) {
            java.util.Collections.reverse(points);
          }
          arrows.add(new Arrow(edge, points));
        });
    return new Picture(boxes, arrows, root.getWidth(), root.getHeight());
  }

  private static void register() {
    if (!registered) {
      synchronized (GraphLayout.class) {
        if (!registered) {
          LayoutMetaDataService.getInstance()
              .registerLayoutMetaDataProviders(new LayeredMetaDataProvider());
          registered = true;
        }
      }
    }
  }
}
