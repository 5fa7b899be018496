package io.compensa.report;

import io.compensa.host.report.ApplyGraph;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.elk.alg.layered.options.LayeredMetaDataProvider;
import org.eclipse.elk.alg.layered.options.LayeredOptions;
import org.eclipse.elk.core.RecursiveGraphLayoutEngine;
import org.eclipse.elk.core.data.LayoutMetaDataService;
import org.eclipse.elk.core.math.ElkPadding;
import org.eclipse.elk.core.options.CoreOptions;
import org.eclipse.elk.core.options.Direction;
import org.eclipse.elk.core.options.EdgeRouting;
import org.eclipse.elk.core.util.BasicProgressMonitor;
import org.eclipse.elk.graph.ElkEdge;
import org.eclipse.elk.graph.ElkEdgeSection;
import org.eclipse.elk.graph.ElkNode;
import org.eclipse.elk.graph.util.ElkGraphUtil;

/**
 * Where each box and arrow of a picture goes: Eclipse ELK's layered algorithm, left to right (what
 * a box waits for is to its left), orthogonal edges. Stateless; ELK's registry is set up once per
 * class loader.
 */
public final class GraphLayout {
  /** A box's size, in SVG user units. */
  static final double NODE_WIDTH = 190;

  static final double NODE_HEIGHT = 58;

  private static volatile boolean registered;

  /**
   * An arrow to lay out.
   *
   * @param from the box it starts at
   * @param to the box it points to
   * @param kind what it means (drawn as its CSS class)
   * @param against whether it runs against the layering (laid out reversed, drawn as given)
   */
  public record Link(String from, String to, String kind, boolean against) {}

  /** A laid-out box. */
  public record Box(String id, double x, double y, double width, double height) {}

  /** A laid-out arrow: its points from {@code link.from} to {@code link.to}. */
  public record Arrow(Link link, List<double[]> points) {}

  /** The whole picture, its boxes in the order given. */
  public record Picture(List<Box> boxes, List<Arrow> arrows, double width, double height) {}

  private GraphLayout() {}

  /**
   * Lays an apply's graph out: a box per action, an arrow per edge; a blocked edge runs against the
   * dependencies.
   *
   * @param graph the graph
   * @return where each box and arrow goes
   */
  public static Picture of(ApplyGraph graph) {
    List<String> ids = graph.nodes().stream().map(ApplyGraph.Node::id).toList();
    List<Link> links = new ArrayList<>();
    for (ApplyGraph.Edge edge : graph.edges()) {
      links.add(
          new Link(
              edge.from(),
              edge.to(),
              edge.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
              edge.kind() == ApplyGraph.EdgeKind.BLOCKED
                  || edge.kind() == ApplyGraph.EdgeKind.ROLLED_BACK_BECAUSE));
    }
    return of(ids, links);
  }

  /**
   * Lays boxes and arrows out.
   *
   * @param ids the boxes, by id
   * @param links the arrows between them
   * @return where each box and arrow goes
   */
  public static Picture of(List<String> ids, List<Link> links) {
    register();
    ElkNode root = ElkGraphUtil.createGraph();
    root.setProperty(CoreOptions.ALGORITHM, LayeredOptions.ALGORITHM_ID);
    root.setProperty(CoreOptions.DIRECTION, Direction.RIGHT);
    root.setProperty(CoreOptions.EDGE_ROUTING, EdgeRouting.ORTHOGONAL);
    root.setProperty(CoreOptions.SPACING_NODE_NODE, 24.0);
    root.setProperty(LayeredOptions.SPACING_NODE_NODE_BETWEEN_LAYERS, 48.0);
    root.setProperty(CoreOptions.PADDING, new ElkPadding(16));
    Map<String, ElkNode> nodes = new LinkedHashMap<>();
    for (String id : ids) {
      ElkNode box = ElkGraphUtil.createNode(root);
      box.setIdentifier(id);
      box.setDimensions(NODE_WIDTH, NODE_HEIGHT);
      nodes.put(id, box);
    }
    Map<ElkEdge, Link> edges = new LinkedHashMap<>();
    for (Link link : links) {
      // an arrow against the layering (a dependent back to what it depends on) is laid out the
      // other way round, so that it never turns the layering around, and drawn reversed
      ElkNode source = nodes.get(link.against() ? link.to() : link.from());
      ElkNode target = nodes.get(link.against() ? link.from() : link.to());
      edges.put(ElkGraphUtil.createSimpleEdge(source, target), link);
    }
    new RecursiveGraphLayoutEngine().layout(root, new BasicProgressMonitor());
    List<Box> boxes = new ArrayList<>();
    nodes.forEach(
        (id, box) ->
            boxes.add(new Box(id, box.getX(), box.getY(), box.getWidth(), box.getHeight())));
    List<Arrow> arrows = new ArrayList<>();
    edges.forEach(
        (elk, link) -> {
          List<double[]> points = new ArrayList<>();
          for (ElkEdgeSection section : elk.getSections()) {
            points.add(new double[] {section.getStartX(), section.getStartY()});
            section.getBendPoints().forEach(b -> points.add(new double[] {b.getX(), b.getY()}));
            points.add(new double[] {section.getEndX(), section.getEndY()});
          }
          if (link.against()) {
            Collections.reverse(points);
          }
          arrows.add(new Arrow(link, points));
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
