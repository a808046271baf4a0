package org.neurostream.training;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * The training loss as a run goes: the first step's, the mean of the last ten (what a model card records as the
 * final loss, steadier than one step's) and a progress line every twentieth step.
 */
final class LossLog {
    private final int steps;
    private final PrintStream out;
    private final long start = System.nanoTime();
    private final Deque<Double> lastTen = new ArrayDeque<>();
    private double first = Double.NaN;
    private double meanOfLastTen = Double.NaN;

    LossLog(int steps, PrintStream out) {
        this.steps = steps;
        this.out = out;
    }

    /** Records step {@code step} (1-based). */
    void add(int step, double loss) {
        if (step == 1) {
            first = loss;
        }
        lastTen.addLast(loss);
        if (lastTen.size() > 10) {
            lastTen.removeFirst();
        }
        meanOfLastTen = lastTen.stream().mapToDouble(Double::doubleValue).average().orElse(loss);
        if (step % 20 == 0 || step == 1) {
            out.printf(Locale.ROOT, "step %d/%d: loss %.4f (mean of last 10 %.4f), %.0f s%n", step, steps, loss,
                    meanOfLastTen, (System.nanoTime() - start) / 1e9);
        }
    }

    double first() {
        return first;
    }

    double meanOfLastTen() {
        return meanOfLastTen;
    }
}
