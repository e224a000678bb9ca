package vn.zalogateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ConsoleChartsTest {

    @Test
    void everyMinuteIsDrawnTheOneUnderWayLast() {
        Instant now = Instant.parse("2026-12-02T08:30:42Z");
        BarChart chart = ConsoleCharts.deliveredPerMinute(Map.of(Instant.parse("2026-12-02T08:30:00Z"), 4L,
                Instant.parse("2026-12-02T07:31:00Z"), 2L, Instant.parse("2026-12-02T07:30:00Z"), 9L), now);
        assertThat(chart.bars()).hasSize(60);
        assertThat(chart.bars().get(0).label()).isEqualTo("14:31"); // Asia/Ho_Chi_Minh
        assertThat(chart.bars().get(0).value()).isEqualTo("2");
        assertThat(chart.bars().get(59).label()).isEqualTo("15:30");
        assertThat(chart.bars().get(59).height()).isEqualTo(120.0);
        assertThat(chart.bars().get(0).height()).isEqualTo(60.0);
        assertThat(chart.largest()).isEqualTo("4");
    }

    @Test
    void eachOaAndCurrencyGetsItsDaysAndTotal() {
        LocalDate today = LocalDate.parse("2026-12-02");
        List<ConsoleQueries.DayCost> costs = List.of(
                new ConsoleQueries.DayCost(today.minusDays(2), "777", "VND", new BigDecimal("300.000000"), 1),
                new ConsoleQueries.DayCost(today, "777", "VND", new BigDecimal("600"), 2),
                new ConsoleQueries.DayCost(today, "777", "USD", new BigDecimal("4.1234"), 1),
                new ConsoleQueries.DayCost(today.minusDays(20), "888", "VND", new BigDecimal("1"), 1));
        List<ConsoleCharts.OaCosts> charts = ConsoleCharts.costsPerOa(costs, today, 14);
        assertThat(charts).extracting(ConsoleCharts.OaCosts::oaId, ConsoleCharts.OaCosts::currency, ConsoleCharts.OaCosts::total)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("777", "VND", "900"), org.assertj.core.groups.Tuple.tuple("777", "USD", "4.1234"),
                        org.assertj.core.groups.Tuple.tuple("888", "VND", "0"));
        BarChart vnd = charts.get(0).chart();
        assertThat(vnd.bars()).hasSize(14);
        assertThat(vnd.bars().get(11).label()).isEqualTo("2026-11-30");
        assertThat(vnd.bars().get(11).value()).isEqualTo("300");
        assertThat(vnd.bars().get(13).height()).isEqualTo(100.0);
        assertThat(vnd.bars().get(12).height()).isZero();
    }
}
