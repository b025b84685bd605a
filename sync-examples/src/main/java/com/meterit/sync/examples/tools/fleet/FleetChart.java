package com.meterit.sync.examples.tools.fleet;

import com.meterit.sync.examples.tools.Canvas;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Draws what the server saw in one case, per minute: upload requests/s (and the 503s among them)
 * above, readings/s accepted below, with the outage shaded and the capacity dashed.
 */
final class FleetChart {
  private static final int WIDTH = 900;
  private static final int PANEL = 230;
  private static final int LEFT = 80;
  private static final int RIGHT = 30;
  private static final int TOP = 50;
  private static final int GAP = 60;

  private FleetChart() {}

  static void write(Path file, String title, FleetResult r) throws IOException {
    int height = TOP + 2 * PANEL + GAP + 50;
    Canvas canvas = Canvas.titled(WIDTH, height, title, LEFT);
    Graphics2D g = canvas.graphics();
    int minutes = r.requestsPerMinute.length;
    double requestTop = Math.max(r.peakRequests, 2.2 * r.steadyRequests) * 1.1;
    panel(canvas, TOP, minutes, r, requestTop, "upload requests/s (red: answered 503)",
        r.requestsPerMinute, r.rejectedPerMinute, 2 * r.steadyRequests, "2 x steady");
    double readingTop = Math.max(r.peakReadings, r.options.readingsPerSecond) * 1.1;
    panel(canvas, TOP + PANEL + GAP, minutes, r, readingTop, "readings/s accepted",
        r.readingsPerMinute, null, r.options.readingsPerSecond, "capacity");
    g.setColor(Color.DARK_GRAY);
    g.drawString("minutes of simulated time", WIDTH / 2 - 70, height - 12);
    canvas.write(file);
  }

  private static void panel(Canvas canvas, int top, int minutes, FleetResult r, double max,
      String label, double[] values, double[] red, double line, String lineLabel) {
    Graphics2D g = canvas.graphics();
    int width = WIDTH - LEFT - RIGHT;
    int bottom = top + PANEL;
    int outageFrom = x((int) r.options.outageStart.toMinutes(), minutes, width);
    int outageTo = x((int) r.options.outageEnd().toMinutes(), minutes, width);
    g.setColor(new Color(235, 235, 235));
    g.fillRect(outageFrom, top, outageTo - outageFrom, PANEL);
    g.setColor(Color.GRAY);
    g.drawString("outage", outageFrom + 4, top + 14);
    for (int m = 0; m <= minutes; m += 30) {
      g.drawString(Integer.toString(m), x(m, minutes, width) - 8, bottom + 16);
    }
    canvas.frame(LEFT, top, width, PANEL, 4,
        i -> String.format(Locale.ROOT, "%,.0f", max * i / 4));
    g.drawString(label, LEFT, top - 6);
    g.setColor(new Color(60, 120, 200));
    g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
        new float[] {8, 6}, 0));
    int ly = bottom - (int) (PANEL * line / max);
    g.drawLine(LEFT, ly, LEFT + width, ly);
    g.drawString(lineLabel, LEFT + width - 70, ly - 4);
    g.setStroke(new BasicStroke(2f));
    polyline(g, values, minutes, width, bottom, max, Color.BLACK);
    if (red != null) {
      polyline(g, red, minutes, width, bottom, max, new Color(200, 50, 50));
    }
    g.setStroke(new BasicStroke(1));
  }

  private static void polyline(Graphics2D g, double[] values, int minutes, int width, int bottom,
      double max, Color color) {
    int[] xs = new int[values.length];
    int[] ys = new int[values.length];
    for (int m = 0; m < values.length; m++) {
      xs[m] = x(m, minutes, width);
      ys[m] = bottom - (int) (PANEL * Math.min(values[m], max) / max);
    }
    g.setColor(color);
    g.drawPolyline(xs, ys, values.length);
  }

  private static int x(int minute, int minutes, int width) {
    return LEFT + (int) ((long) width * minute / Math.max(1, minutes));
  }
}
