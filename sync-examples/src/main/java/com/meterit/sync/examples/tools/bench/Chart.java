package com.meterit.sync.examples.tools.bench;

import com.meterit.sync.examples.tools.Canvas;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Draws throughput against batch size, with the measured limits as horizontal lines. */
final class Chart {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 520;
  private static final int LEFT = 90;
  private static final int RIGHT = 230;
  private static final int TOP = 50;
  private static final int BOTTOM = 70;

  private Chart() {}

  /**
   * @param batchSizes the x values
   * @param throughput readings/s at each batch size
   * @param limits name to readings/s, drawn as dashed lines
   */
  static void write(Path file, List<Integer> batchSizes, List<Double> throughput,
      Map<String, Double> limits) throws IOException {
    double max = 0;
    for (double t : throughput) {
      max = Math.max(max, t);
    }
    for (double l : limits.values()) {
      max = Math.max(max, l);
    }
    double top = niceCeiling(max * 1.1);
    int plotWidth = WIDTH - LEFT - RIGHT;
    int plotHeight = HEIGHT - TOP - BOTTOM;

    Canvas canvas = Canvas.titled(WIDTH, HEIGHT,
        "Backlog drain on H2: throughput against batch size", LEFT);
    Graphics2D g = canvas.graphics();
    canvas.frame(LEFT, TOP, plotWidth, plotHeight, 5,
        i -> String.format(Locale.ROOT, "%,.0f", top * i / 5));
    g.drawString("readings/s", 10, TOP - 10);
    g.drawString("batch size (log scale)", LEFT + plotWidth / 2 - 60, HEIGHT - 20);

    // x: log scale over the batch sizes.
    double minLog = Math.log(batchSizes.get(0));
    double maxLog = Math.log(batchSizes.get(batchSizes.size() - 1));
    int[] xs = new int[batchSizes.size()];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = LEFT + 30 + (int) ((plotWidth - 60) * (Math.log(batchSizes.get(i)) - minLog)
          / Math.max(1e-9, maxLog - minLog));
      g.setColor(Color.DARK_GRAY);
      String label = String.format(Locale.ROOT, "%,d", batchSizes.get(i));
      g.drawString(label, xs[i] - g.getFontMetrics().stringWidth(label) / 2, TOP + plotHeight + 20);
    }

    // Limits.
    Color[] colors = {new Color(200, 60, 60), new Color(60, 120, 200), new Color(60, 160, 90),
        new Color(150, 90, 200)};
    int c = 0;
    int legendY = TOP + 10;
    for (Map.Entry<String, Double> limit : limits.entrySet()) {
      Color color = colors[c++ % colors.length];
      int y = TOP + plotHeight - (int) (plotHeight * limit.getValue() / top);
      g.setColor(color);
      g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
          new float[] {8, 6}, 0));
      g.drawLine(LEFT, y, LEFT + plotWidth, y);
      g.drawLine(LEFT + plotWidth + 15, legendY, LEFT + plotWidth + 40, legendY);
      g.setStroke(new BasicStroke(1));
      g.drawString(limit.getKey(), LEFT + plotWidth + 45, legendY + 4);
      legendY += 20;
    }

    // Throughput.
    g.setColor(Color.BLACK);
    g.setStroke(new BasicStroke(2.5f));
    int[] ys = new int[xs.length];
    for (int i = 0; i < xs.length; i++) {
      ys[i] = TOP + plotHeight - (int) (plotHeight * throughput.get(i) / top);
    }
    g.drawPolyline(xs, ys, xs.length);
    for (int i = 0; i < xs.length; i++) {
      g.fillOval(xs[i] - 4, ys[i] - 4, 8, 8);
      g.drawString(String.format(Locale.ROOT, "%,.0f", throughput.get(i)), xs[i] + 6, ys[i] - 8);
    }
    g.drawLine(LEFT + plotWidth + 15, legendY, LEFT + plotWidth + 40, legendY);
    g.drawString("drain (SyncManager)", LEFT + plotWidth + 45, legendY + 4);
    canvas.write(file);
  }

  private static double niceCeiling(double value) {
    double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
    for (double step : new double[] {1, 2, 2.5, 5, 10}) {
      if (step * magnitude >= value) {
        return step * magnitude;
      }
    }
    return 10 * magnitude;
  }
}
