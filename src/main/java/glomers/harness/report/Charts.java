package glomers.harness.report;

import glomers.harness.history.History;
import glomers.harness.history.Op;
import glomers.harness.history.OpType;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

/**
 * The report's charts, drawn with JFreeChart and exported as standalone SVG with JFreeSVG. Headless: nothing here
 * opens a window, and {@code java.awt.headless} is forced on before AWT loads.
 */
final class Charts {
  static {
    System.setProperty("java.awt.headless", "true");
  }

  private Charts() {}

  static final Color OK = new Color(0x2B7BE4);
  static final Color FAIL = new Color(0xD6336C);
  static final Color INFO = new Color(0xF59F00);
  static final Color SHADE = new Color(120, 120, 120, 48);
  static final Color GRID = new Color(0xDDDDDD);
  private static final Color[] CATEGORY = {new Color(0x2B7BE4), new Color(0x37B24D), new Color(0x9C36B5), new Color(0xE8590C)};

  static Color colour(OpType t) {
    return switch (t) {
      case OK -> OK;
      case FAIL -> FAIL;
      default -> INFO;
    };
  }

  /** Marker per f: square, triangle, diamond, inverted triangle. Polygons, not circles: a circle costs 4 Béziers in SVG. */
  private static Shape shape(int i) {
    return switch (i % 4) {
      case 0 -> new Rectangle2D.Double(-2, -2, 4, 4);
      case 1 -> new java.awt.Polygon(new int[] {-3, 3, 0}, new int[] {2, 2, -3}, 3);
      case 2 -> new java.awt.Polygon(new int[] {0, 3, 0, -3}, new int[] {-3, 0, 3, 0}, 4);
      default -> new java.awt.Polygon(new int[] {-3, 3, 0}, new int[] {-2, -2, 3}, 3);
    };
  }

  private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 14);
  private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
  private static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

  /** House style, set directly (a ChartTheme would also reset the series colours chosen above). */
  private static JFreeChart styled(String title, XYPlot plot, boolean legend) {
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(GRID);
    plot.setRangeGridlinePaint(GRID);
    plot.setOutlineVisible(false);
    for (org.jfree.chart.axis.ValueAxis a : new org.jfree.chart.axis.ValueAxis[] {plot.getDomainAxis(), plot.getRangeAxis()}) {
      a.setLabelFont(LABEL);
      a.setTickLabelFont(TICK);
      a.setLabelPaint(new Color(0x343A40));
      a.setTickLabelPaint(new Color(0x495057));
    }
    JFreeChart chart = new JFreeChart(title, TITLE, plot, legend);
    chart.setBackgroundPaint(Color.WHITE);
    chart.setAntiAlias(true);
    if (legend) {
      LegendTitle l = chart.getLegend();
      l.setPosition(RectangleEdge.RIGHT);
      l.setFrame(org.jfree.chart.block.BlockBorder.NONE);
      l.setItemFont(TICK);
      l.setBackgroundPaint(Color.WHITE);
    }
    return chart;
  }

  /** The band colour of a fault kind (legend words in {@link ReportData#FAULT_COLOURS}). */
  static Color shade(String kind) {
    return switch (kind) {
      case "kill" -> new Color(220, 40, 40, 40);
      case "pause" -> new Color(40, 90, 220, 40);
      case "duplicate" -> new Color(150, 40, 200, 40);
      default -> SHADE;
    };
  }

  private static void shade(XYPlot plot, List<ReportData.Period> periods) {
    for (ReportData.Period p : periods) {
      IntervalMarker m = new IntervalMarker(p.startSec(), p.endSec(), shade(p.kind()));
      m.setOutlinePaint(null);
      plot.addDomainMarker(m, Layer.BACKGROUND);
    }
  }

  private static NumberAxis timeAxis(double endSec) {
    NumberAxis x = new NumberAxis("time (s)");
    x.setRange(0, Math.max(endSec, 0.001) * 1.01);
    return x;
  }

  /**
   * Latency of every client op against its invocation time, on a log scale: colour = outcome, shape = f. Partition
   * periods are shaded; ops named by the workload checker are ringed in red, one legend entry per anomaly.
   */
  static JFreeChart latency(
      History h, List<ReportData.LatencyPoint> points, List<ReportData.Period> periods,
      Map<String, List<Map<String, Object>>> anomalies, double endSec) {
    List<String> fs = ReportData.clientFs(h);
    Map<String, XYSeries> series = new LinkedHashMap<>();
    List<Color> colours = new ArrayList<>();
    List<Shape> shapes = new ArrayList<>();
    for (OpType t : List.of(OpType.OK, OpType.INFO, OpType.FAIL)) {
      for (int i = 0; i < fs.size(); i++) {
        String key = fs.get(i) + " " + t.keyword();
        series.put(key, new XYSeries(key, false, true));
        colours.add(colour(t));
        shapes.add(shape(i));
      }
    }
    double min = Double.MAX_VALUE;
    // Points that would land on the same ~2 px cell of the same series are drawn once: the picture is the same,
    // and a 20 000-op run stays a small SVG instead of 20 MB.
    java.util.Set<Long> cells = new java.util.HashSet<>();
    double dx = Math.max(endSec, 0.001) / 500;
    for (ReportData.LatencyPoint p : points) {
      String key = p.f() + " " + p.outcome().keyword();
      XYSeries s = series.get(key);
      if (s == null) continue;
      double y = Math.max(p.latencyMs(), 0.01);
      min = Math.min(min, y);
      long cell = ((long) key.hashCode() << 40) ^ ((long) (p.tSec() / dx) << 16) ^ (long) (Math.log10(y) * 36 + 1000);
      if (cells.add(cell)) s.add(p.tSec(), y, false);
    }
    XYSeriesCollection data = new XYSeriesCollection();
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
    int k = 0;
    int idx = 0;
    for (XYSeries s : series.values()) {
      if (s.getItemCount() > 0) {
        data.addSeries(s);
        r.setSeriesPaint(k, colours.get(idx));
        r.setSeriesShape(k, shapes.get(idx));
        k++;
      }
      idx++;
    }
    int a = 0;
    for (Map.Entry<String, List<Map<String, Object>>> e : anomalies.entrySet()) {
      XYSeries s = new XYSeries("⚠ " + e.getKey(), false, true);
      for (Map<String, Object> op : e.getValue()) {
        int i = ((Number) op.get("index")).intValue();
        if (i < 0 || i >= h.size()) continue;
        Op o = h.get(i);
        Op inv = o.isInvoke() ? o : h.pairOf(o);
        Op done = o.isInvoke() ? h.pairOf(o) : o;
        if (inv == null || done == null) continue;
        s.add(inv.time() / 1e9, Math.max((done.time() - inv.time()) / 1e6, 0.01), false);
      }
      if (s.getItemCount() == 0) continue;
      data.addSeries(s);
      Color c = a % 2 == 0 ? new Color(0xE03131) : new Color(0x7048E8);
      r.setSeriesPaint(k, c);
      r.setSeriesShape(k, new Ellipse2D.Double(-6, -6, 12, 12));
      r.setSeriesShapesFilled(k, false);
      r.setSeriesStroke(k, new BasicStroke(1.8f));
      r.setSeriesOutlineStroke(k, new BasicStroke(1.8f));
      k++;
      a++;
    }
    LogAxis y = new LogAxis("latency (ms)");
    y.setSmallestValue(0.01);
    y.setBase(10);
    // one labelled tick per decade: 0.1, 1, 10, 100 ms … instead of JFreeChart's 1584.89-style ticks
    y.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1, new java.text.DecimalFormat("0.##"), 9));
    y.setNumberFormatOverride(new java.text.DecimalFormat("#,##0.##"));
    y.setMinorTickMarksVisible(true);
    if (min == Double.MAX_VALUE) y.setRange(0.1, 1000);
    XYPlot plot = new XYPlot(data, timeAxis(endSec), y, r);
    shade(plot, periods);
    return styled("Latency of each operation (shaded: network partitions)", plot, true);
  }

  /** A step line per series of per-bucket rates. */
  private static JFreeChart rates(String title, String yLabel, Map<String, double[]> rates, Map<String, Color> colours,
      double bucketSec, List<ReportData.Period> periods, double endSec) {
    XYSeriesCollection data = new XYSeriesCollection();
    XYStepRenderer r = new XYStepRenderer();
    int k = 0;
    for (Map.Entry<String, double[]> e : rates.entrySet()) {
      double[] v = e.getValue();
      double sum = 0;
      for (double x : v) sum += x;
      if (sum == 0) continue;
      XYSeries s = new XYSeries(e.getKey(), false, true);
      for (int i = 0; i < v.length; i++) s.add(i * bucketSec, v[i], false);
      s.add(v.length * bucketSec, v[v.length - 1], false);
      data.addSeries(s);
      r.setSeriesPaint(k, colours.getOrDefault(e.getKey(), CATEGORY[k % CATEGORY.length]));
      r.setSeriesStroke(k, new BasicStroke(1.6f));
      k++;
    }
    NumberAxis y = new NumberAxis(yLabel);
    y.setAutoRangeIncludesZero(true);
    XYPlot plot = new XYPlot(data, timeAxis(endSec), y, r);
    shade(plot, periods);
    return styled(title, plot, true);
  }

  static JFreeChart throughput(Map<OpType, double[]> rates, double bucketSec, List<ReportData.Period> periods, double endSec) {
    Map<String, double[]> named = new LinkedHashMap<>();
    Map<String, Color> colours = new LinkedHashMap<>();
    for (Map.Entry<OpType, double[]> e : rates.entrySet()) {
      named.put(e.getKey().keyword(), e.getValue());
      colours.put(e.getKey().keyword(), colour(e.getKey()));
    }
    return rates("Throughput: completions per second by outcome", "ops/s", named, colours, bucketSec, periods, endSec);
  }

  static JFreeChart messageRates(Map<String, double[]> rates, double bucketSec, List<ReportData.Period> periods, double endSec) {
    Map<String, Color> colours = Map.of(
        ReportData.CLIENTS, new Color(0x868E96),
        ReportData.NODES, new Color(0x2B7BE4),
        ReportData.SERVICES, new Color(0x37B24D),
        ReportData.DROPPED, new Color(0xE03131));
    return rates("Network: messages sent per second", "msgs/s", rates, colours, bucketSec, periods, endSec);
  }

  /**
   * Heat map of messages sent per second by each node (rows) over time: white = silent, dark blue = the busiest
   * node-second of the run. Partitions are shaded on top, so a node cut off (or one that keeps retrying into a
   * partition) stands out.
   */
  static JFreeChart nodeHeatmap(Map<String, double[]> rates, double bucketSec, List<ReportData.Period> periods, double endSec) {
    org.jfree.data.xy.DefaultXYZDataset data = new org.jfree.data.xy.DefaultXYZDataset();
    List<String> rows = new ArrayList<>(rates.keySet());
    int buckets = rates.isEmpty() ? 1 : rates.values().iterator().next().length;
    double[][] xyz = new double[3][rows.size() * buckets];
    double max = 1e-9;
    int k = 0;
    for (int r = 0; r < rows.size(); r++) {
      double[] v = rates.get(rows.get(r));
      for (int b = 0; b < buckets; b++) {
        xyz[0][k] = (b + 0.5) * bucketSec;
        xyz[1][k] = r;
        xyz[2][k] = v[b];
        max = Math.max(max, v[b]);
        k++;
      }
    }
    data.addSeries("msgs/s", xyz);
    org.jfree.chart.renderer.xy.XYBlockRenderer r = new org.jfree.chart.renderer.xy.XYBlockRenderer();
    r.setBlockWidth(bucketSec);
    r.setBlockHeight(1);
    final double top = max;
    r.setPaintScale(new org.jfree.chart.renderer.PaintScale() {
      @Override
      public double getLowerBound() {
        return 0;
      }

      @Override
      public double getUpperBound() {
        return top;
      }

      @Override
      public java.awt.Paint getPaint(double value) {
        if (value <= 0) return Color.WHITE;
        double f = Math.sqrt(Math.min(1, value / top)); // sqrt: quiet rows stay visible next to a busy one
        return new Color((int) (235 - 200 * f), (int) (243 - 160 * f), (int) (255 - 110 * f));
      }
    });
    org.jfree.chart.axis.SymbolAxis y = new org.jfree.chart.axis.SymbolAxis("sender", rows.toArray(String[]::new));
    y.setInverted(true);
    y.setGridBandsVisible(false);
    XYPlot plot = new XYPlot(data, timeAxis(endSec), y, r);
    for (ReportData.Period p : periods) {
      IntervalMarker m = new IntervalMarker(p.startSec(), p.endSec(), new Color(120, 120, 120, 40));
      m.setOutlinePaint(new Color(120, 120, 120, 120));
      plot.addDomainMarker(m, Layer.FOREGROUND);
    }
    JFreeChart chart = styled("Messages sent per second by each node (darker = more; max " + Math.round(max) + "/s)", plot, false);
    y.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, rows.size() > 16 ? 9 : 11));
    return chart;
  }

  /**
   * Cumulative distribution of broadcast/g-set stable latencies (the fraction of elements visible on every node
   * within x ms), with Maelstrom's quantiles from results.json marked.
   */
  static JFreeChart stableCdf(List<ReportData.Stable> stable, Map<String, Object> quantiles) {
    long[] v = new long[stable.size()];
    for (int i = 0; i < v.length; i++) v[i] = stable.get(i).latencyMs();
    java.util.Arrays.sort(v);
    XYSeries s = new XYSeries("elements stable within x ms", false, true);
    s.add(0, 0);
    for (int i = 0; i < v.length; i++) {
      if (i + 1 < v.length && v[i + 1] == v[i]) continue;
      s.add(v[i], (i + 1) * 100.0 / v.length);
    }
    XYSeriesCollection data = new XYSeriesCollection(s);
    XYStepRenderer r = new XYStepRenderer();
    r.setSeriesPaint(0, OK);
    r.setSeriesStroke(0, new BasicStroke(2f));
    NumberAxis x = new NumberAxis("stable latency (ms)");
    NumberAxis y = new NumberAxis("% of stable elements");
    y.setRange(0, 101);
    XYPlot plot = new XYPlot(data, x, y, r);
    if (quantiles != null) {
      for (Map.Entry<String, Object> q : quantiles.entrySet()) {
        if (!(q.getValue() instanceof Number n)) continue;
        ValueMarker m = new ValueMarker(n.doubleValue(), new Color(0xAAAAAA), new BasicStroke(1f, BasicStroke.CAP_BUTT,
            BasicStroke.JOIN_MITER, 1f, new float[] {3f, 3f}, 0f));
        m.setLabel(HtmlReport.quantileName(q.getKey()));
        m.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
        m.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.TOP_LEFT);
        m.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.TOP_RIGHT);
        plot.addDomainMarker(m);
      }
    }
    return styled("Stable latency distribution (" + v.length + " stable elements)", plot, false);
  }

  /**
   * Stable latency of each element against the time in the run at which it became known: a warm-up or a stall
   * shows as a cluster of high points at one time, where the distribution chart only shows a long tail.
   */
  static JFreeChart stableByTime(List<ReportData.Stable> stable, double endSec) {
    XYSeries s = new XYSeries("stable latency of an element", false, true);
    for (ReportData.Stable e : stable) s.add(e.knownSec(), e.latencyMs());
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
    r.setSeriesPaint(0, OK);
    r.setSeriesShape(0, new Ellipse2D.Double(-1.5, -1.5, 3, 3));
    NumberAxis x = new NumberAxis("time in run when the element became known (s)");
    x.setRange(0, Math.max(1, endSec));
    NumberAxis y = new NumberAxis("stable latency (ms)");
    XYPlot plot = new XYPlot(new XYSeriesCollection(s), x, y, r);
    return styled("Stable latency by time in the run", plot, false);
  }

  private static final java.util.concurrent.atomic.AtomicInteger SVG_IDS = new java.util.concurrent.atomic.AtomicInteger();

  /**
   * The chart as an {@code <svg>} element with a viewBox (so CSS can scale it to its container when inlined) and
   * ids unique within a page; coordinates rounded to 0.1 px to keep scatter plots small.
   */
  static String svg(JFreeChart chart, int w, int h) {
    SVGGraphics2D g = new SVGGraphics2D(w, h);
    String id = "c" + SVG_IDS.incrementAndGet();
    g.setDefsKeyPrefix(id + "_");
    java.util.function.DoubleFunction<String> round = d -> {
      long r = Math.round(d * 10);
      return r % 10 == 0 ? Long.toString(r / 10) : Double.toString(r / 10.0);
    };
    g.setGeomDoubleConverter(round);
    g.setTransformDoubleConverter(round);
    chart.draw(g, new Rectangle(0, 0, w, h));
    return g.getSVGElement(id, true, new ViewBox(0, 0, w, h), null, null);
  }

  /** A standalone SVG file's content (latency.svg etc.) from {@link #svg}. */
  static String svgDocument(String svgElement) {
    return "<?xml version=\"1.0\"?>\n" + svgElement + "\n";
  }
}
