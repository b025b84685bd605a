package com.meterit.sync.examples.tools;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.IntFunction;
import javax.imageio.ImageIO;

/** A white, antialiased PNG with a title, and the plot frame the harness's charts share. */
public final class Canvas {
  private final BufferedImage image;
  private final Graphics2D g;

  private Canvas(int width, int height) {
    System.setProperty("java.awt.headless", "true");
    image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
        RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
  }

  /** A canvas with {@code title} in bold at ({@code left}, 30), the plain font set after it. */
  public static Canvas titled(int width, int height, String title, int left) {
    Canvas canvas = new Canvas(width, height);
    canvas.g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    canvas.g.setColor(Color.BLACK);
    canvas.g.drawString(title, left, 30);
    canvas.g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    return canvas;
  }

  public Graphics2D graphics() {
    return g;
  }

  /**
   * Draws {@code steps} horizontal grid lines over a plot, each labelled on the left, and the
   * plot's two axes.
   *
   * @param label the label of grid line {@code i}, 0 at the bottom
   */
  public void frame(int left, int top, int width, int height, int steps,
      IntFunction<String> label) {
    for (int i = 0; i <= steps; i++) {
      int y = top + height - height * i / steps;
      g.setColor(new Color(225, 225, 225));
      g.drawLine(left, y, left + width, y);
      g.setColor(Color.DARK_GRAY);
      String text = label.apply(i);
      g.drawString(text, left - 10 - g.getFontMetrics().stringWidth(text), y + 4);
    }
    g.setColor(Color.BLACK);
    g.drawLine(left, top, left, top + height);
    g.drawLine(left, top + height, left + width, top + height);
  }

  /** Writes the PNG and releases the drawing context. */
  public void write(Path file) throws IOException {
    g.dispose();
    ImageIO.write(image, "png", file.toFile());
  }
}
