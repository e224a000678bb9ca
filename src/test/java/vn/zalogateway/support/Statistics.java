package vn.zalogateway.support;

import java.util.List;
import java.util.function.ToDoubleFunction;

/** What the benchmarks report of their trials. */
public final class Statistics {

    private Statistics() {
    }

    /** The median of a figure over trials (the upper one of an even count); every benchmark here reports it. */
    public static <T> double median(List<T> trials, ToDoubleFunction<T> figure) {
        double[] values = trials.stream().mapToDouble(figure).sorted().toArray();
        return values[values.length / 2];
    }
}
