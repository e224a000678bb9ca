package vn.zalogateway.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A bar chart drawn as SVG by the page itself (no script, no CDN): bars scaled to the largest value,
 * each with its label and value for the tooltip and for screen readers.
 */
public record BarChart(int width, int height, List<Bar> bars, String largest) {

    public record Bar(double x, double y, double width, double height, String label, String value) {
    }

    public record Point(String label, double value, String shown) {
    }

    public static BarChart of(List<Point> points, int width, int height) {
        double largest = points.stream().mapToDouble(Point::value).max().orElse(0);
        double slot = points.isEmpty() ? width : (double) width / points.size();
        double barWidth = Math.max(1, slot * 0.8);
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            Point point = points.get(i);
            double barHeight = largest <= 0 ? 0 : Math.max(point.value() > 0 ? 1 : 0, point.value() / largest * height);
            bars.add(new Bar(round(i * slot + (slot - barWidth) / 2), round(height - barHeight), round(barWidth), round(barHeight),
                    point.label(), point.shown()));
        }
        return new BarChart(width, height, List.copyOf(bars), largest <= 0 ? "0" : trim(largest));
    }

    /** The drawing's height with room for the scale above and the base line below. */
    public int viewHeight() {
        return height + 24;
    }

    public boolean isEmpty() {
        return bars.stream().allMatch(bar -> bar.height() == 0);
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.2f", value);
    }
}
