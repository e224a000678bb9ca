package vn.zalogateway.console;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The console's charts from what the queries found: every minute or day drawn, those without data at zero. */
public final class ConsoleCharts {

    /** One OA's costs in one currency over the days shown, and their total. */
    public record OaCosts(String oaId, String currency, String total, BarChart chart) {
    }

    private ConsoleCharts() {
    }

    /** Messages delivered in each of the last 60 minutes, the one under way last. */
    public static BarChart deliveredPerMinute(Map<Instant, Long> perMinute, Instant now) {
        Instant first = now.truncatedTo(ChronoUnit.MINUTES).minus(59, ChronoUnit.MINUTES);
        List<BarChart.Point> points = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            Instant minute = first.plus(i, ChronoUnit.MINUTES);
            long count = perMinute.getOrDefault(minute, 0L);
            points.add(new BarChart.Point(ConsoleFormat.minute(minute), count, Long.toString(count)));
        }
        return BarChart.of(points, 600, 120);
    }

    /** A chart per OA and currency over the {@code days} days up to today. */
    public static List<OaCosts> costsPerOa(List<ConsoleQueries.DayCost> costs, LocalDate today, int days) {
        Map<String, Map<LocalDate, ConsoleQueries.DayCost>> byOa = new LinkedHashMap<>();
        costs.forEach(cost -> byOa.computeIfAbsent(cost.oaId() + " " + cost.currency(), key -> new LinkedHashMap<>()).put(cost.day(), cost));
        List<OaCosts> charts = new ArrayList<>();
        byOa.forEach((key, perDay) -> {
            ConsoleQueries.DayCost any = perDay.values().iterator().next();
            List<BarChart.Point> points = new ArrayList<>();
            BigDecimal total = BigDecimal.ZERO;
            for (int i = days - 1; i >= 0; i--) {
                LocalDate day = today.minusDays(i);
                BigDecimal amount = perDay.containsKey(day) ? perDay.get(day).amount() : BigDecimal.ZERO;
                total = total.add(amount);
                points.add(new BarChart.Point(day.toString(), amount.doubleValue(), ConsoleFormat.plain(amount)));
            }
            charts.add(new OaCosts(any.oaId(), any.currency(), ConsoleFormat.plain(total), BarChart.of(points, 600, 100)));
        });
        return charts;
    }
}
