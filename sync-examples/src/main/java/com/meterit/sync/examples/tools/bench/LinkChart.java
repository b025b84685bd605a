package com.meterit.sync.examples.tools.bench;

import com.meterit.sync.examples.tools.Canvas;
import java.awt.Color;
import java.awt.Graphics2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Draws drain rate as a share of link capacity, one group of bars per profile and one bar per
 * window. A share, not readings/s: the profiles' capacities differ a hundredfold.
 */
final class LinkChart {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 520;
  private static final int LEFT = 80;
  private static final int RIGHT = 160;
  private static final int TOP = 50;
  private static final int BOTTOM = 80;
  private static final Color[] COLORS = {new Color(60, 120, 200), new Color(230, 140, 40),
      new Color(60, 160, 90), new Color(150, 90, 200), new Color(200, 60, 60)};

  private LinkChart() {}

  static void write(Path file, List<LinkRun> runs) throws IOException {
    int plotWidth = WIDTH - LEFT - RIGHT;
    int plotHeight = HEIGHT - TOP - BOTTOM;
    Canvas canvas = Canvas.titled(WIDTH, HEIGHT,
        "Backlog drain over emulated links: share of link capacity used", LEFT);
    Graphics2D g = canvas.graphics();
    canvas.frame(LEFT, TOP, plotWidth, plotHeight, 5, i -> (i * 20) + "%");
    g.drawString("drain / capacity", 10, TOP - 10);

    Map<String, List<LinkRun>> byProfile = new LinkedHashMap<>();
    Set<String> series = new LinkedHashSet<>();
    for (LinkRun r : runs) {
      byProfile.computeIfAbsent(r.profile.name, k -> new ArrayList<>()).add(r);
      series.add(r.series());
    }
    List<String> windowOrder = new ArrayList<>(series);
    int groupWidth = plotWidth / Math.max(1, byProfile.size());
    int barWidth = Math.min(70, (groupWidth - 30) / Math.max(1, windowOrder.size()));
    int group = 0;
    for (Map.Entry<String, List<LinkRun>> e : byProfile.entrySet()) {
      int x0 = LEFT + group * groupWidth + (groupWidth - barWidth * windowOrder.size()) / 2;
      for (LinkRun r : e.getValue()) {
        int slot = windowOrder.indexOf(r.series());
        int height = (int) (plotHeight * Math.min(1.0, r.ratio()));
        int x = x0 + slot * barWidth;
        g.setColor(COLORS[slot % COLORS.length]);
        g.fillRect(x + 2, TOP + plotHeight - height, barWidth - 4, height);
        g.setColor(Color.BLACK);
        String pct = String.format(Locale.ROOT, "%.0f%%", 100 * r.ratio());
        g.drawString(pct, x + barWidth / 2 - g.getFontMetrics().stringWidth(pct) / 2,
            TOP + plotHeight - height - 6);
      }
      LinkRun first = e.getValue().get(0);
      String[] lines = {e.getKey(), LinkProfile.rate(first.profile.uplinkBitsPerSecond) + ", "
          + first.profile.roundTrip.toMillis() + " ms",
          "capacity " + Benchmark.number(first.capacity()) + "/s"};
      for (int i = 0; i < lines.length; i++) {
        int center = LEFT + group * groupWidth + groupWidth / 2;
        g.drawString(lines[i], center - g.getFontMetrics().stringWidth(lines[i]) / 2,
            TOP + plotHeight + 18 + 15 * i);
      }
      group++;
    }
    int legendY = TOP + 10;
    for (int i = 0; i < windowOrder.size(); i++) {
      g.setColor(COLORS[i % COLORS.length]);
      g.fillRect(LEFT + plotWidth + 15, legendY - 8, 20, 10);
      g.setColor(Color.BLACK);
      g.drawString(windowOrder.get(i), LEFT + plotWidth + 40, legendY + 2);
      legendY += 20;
    }
    canvas.write(file);
  }
}
