package com.meterit.sync.examples.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

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
    System.setProperty("java.awt.headless", "true");
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, HEIGHT);

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

    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.setColor(Color.BLACK);
    g.drawString("Backlog drain on H2: throughput against batch size", LEFT, 30);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));

    // Grid and y labels.
    for (int i = 0; i <= 5; i++) {
      int y = TOP + plotHeight - plotHeight * i / 5;
      g.setColor(new Color(225, 225, 225));
      g.drawLine(LEFT, y, LEFT + plotWidth, y);
      g.setColor(Color.DARK_GRAY);
      String label = String.format(Locale.ROOT, "%,.0f", top * i / 5);
      g.drawString(label, LEFT - 10 - g.getFontMetrics().stringWidth(label), y + 4);
    }
    g.setColor(Color.BLACK);
    g.drawLine(LEFT, TOP, LEFT, TOP + plotHeight);
    g.drawLine(LEFT, TOP + plotHeight, LEFT + plotWidth, TOP + plotHeight);
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
    g.dispose();
    ImageIO.write(image, "png", file.toFile());
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
