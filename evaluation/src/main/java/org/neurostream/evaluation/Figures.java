package org.neurostream.evaluation;

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
import javax.imageio.ImageIO;
import org.neurostream.imaging.Volume;
import org.neurostream.training.Roc;

/** The report's PNG figures, drawn with Java2D (no plotting library): ROC curve, label maps, mask overlays. */
final class Figures {
    /** Tissue colours by label: background, CSF, grey, white, ventricles. */
    static final Color[] TISSUE = {Color.BLACK, new Color(40, 90, 220), new Color(200, 60, 60),
        new Color(235, 235, 235), new Color(40, 160, 220)};

    private Figures() {
    }

    static void roc(Roc roc, String title, Path file) throws IOException {
        int size = 420;
        int margin = 50;
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(image);
        int plot = size - 2 * margin;
        g.setColor(Color.LIGHT_GRAY);
        g.drawLine(margin, margin + plot, margin + plot, margin); // chance
        g.setColor(Color.BLACK);
        g.drawRect(margin, margin, plot, plot);
        g.setStroke(new BasicStroke(2.5f));
        g.setColor(new Color(200, 40, 40));
        List<double[]> points = roc.points();
        for (int n = 1; n < points.size(); n++) {
            double[] a = points.get(n - 1);
            double[] b = points.get(n);
            g.drawLine(margin + (int) (a[0] * plot), margin + plot - (int) (a[1] * plot),
                    margin + (int) (b[0] * plot), margin + plot - (int) (b[1] * plot));
        }
        g.setColor(Color.BLACK);
        g.drawString(title, margin, 25);
        g.drawString("false positive rate", margin + plot / 2 - 50, size - 15);
        g.drawString(String.format(Locale.ROOT, "AUC %.3f", roc.auc()), margin + plot - 90, margin + plot - 15);
        g.rotate(-Math.PI / 2);
        g.drawString("true positive rate", -(margin + plot / 2 + 50), 30);
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    /**
     * Lesion detection per pair: true new lesions (grey bar), found lesions that touch a true one (green) and found
     * lesions that touch none (red, false positives), side by side.
     */
    static void lesionDetection(List<EvaluationReport.LesionPair> pairs, Path file) throws IOException {
        int margin = 50;
        int group = 46;
        int width = Math.max(420, 2 * margin + group * pairs.size());
        int height = 320;
        int plot = height - 2 * margin;
        int max = Math.max(1, pairs.stream().mapToInt(p -> Math.max(p.trueCount(), p.foundCount())).max().orElse(1));
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(image);
        g.setColor(Color.BLACK);
        g.drawString("New lesions per held-out phantom pair: true (grey), found and real (green), false (red)",
                10, 25);
        g.drawLine(margin, margin + plot, width - margin, margin + plot);
        for (int tick = 0; tick <= max; tick++) {
            int y = margin + plot - plot * tick / max;
            g.drawString(Integer.toString(tick), margin - 20, y + 5);
        }
        for (int n = 0; n < pairs.size(); n++) {
            EvaluationReport.LesionPair p = pairs.get(n);
            int x = margin + n * group + 6;
            bar(g, x, p.trueCount(), max, plot, margin, Color.GRAY);
            int hits = p.score().predictedHits();
            bar(g, x + 14, hits, max, plot, margin, new Color(40, 170, 60));
            bar(g, x + 28, p.foundCount() - hits, max, plot, margin, new Color(210, 40, 40));
            g.setColor(Color.BLACK);
            g.drawString(Integer.toString(p.subject()), x + 14, margin + plot + 18);
        }
        g.drawString("pair", width / 2 - 10, height - 8);
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static void bar(Graphics2D g, int x, int value, int max, int plot, int margin, Color colour) {
        int h = plot * value / max;
        g.setColor(colour);
        g.fillRect(x, margin + plot - h, 12, h);
    }

    /** An axial slice of each volume side by side: grey-scale images and colour-coded label maps. */
    static void panels(List<Panel> panels, int slice, Path file) throws IOException {
        Volume first = panels.get(0).volume();
        int w = first.nx();
        int h = first.ny();
        BufferedImage image = new BufferedImage(w * panels.size(), h + 20, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(image);
        for (int p = 0; p < panels.size(); p++) {
            Panel panel = panels.get(p);
            float max = percentile99(panel.volume());
            for (int j = 0; j < h; j++) {
                for (int i = 0; i < w; i++) {
                    float v = panel.volume().get(i, j, slice);
                    Color c;
                    if (panel.labels()) {
                        c = TISSUE[Math.max(0, Math.min(TISSUE.length - 1, Math.round(v)))];
                    } else {
                        int grey = (int) Math.max(0, Math.min(255, 255 * v / max));
                        c = new Color(grey, grey, grey);
                    }
                    if (panel.overlay() != null && panel.overlay().get(i, j, slice) > 0) {
                        c = panel.overlayColour();
                    }
                    image.setRGB(p * w + i, 20 + j, c.getRGB());
                }
            }
            g.setColor(Color.BLACK);
            g.drawString(panel.title(), p * w + 4, 15);
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    /** One panel: a volume (image or labels), optionally with a mask painted over it. */
    record Panel(String title, Volume volume, boolean labels, Volume overlay, Color overlayColour) {
        static Panel image(String title, Volume volume) {
            return new Panel(title, volume, false, null, null);
        }

        static Panel labels(String title, Volume volume) {
            return new Panel(title, volume, true, null, null);
        }
    }

    private static Graphics2D canvas(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        return g;
    }

    private static float percentile99(Volume volume) {
        float[] sorted = volume.data().clone();
        java.util.Arrays.sort(sorted);
        return Math.max(1e-6f, sorted[(int) (0.99 * (sorted.length - 1))]);
    }
}
