package vn.zalogateway.common;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import vn.zalogateway.common.problem.Violation;

/**
 * When a message may go, in Vietnam's time (Asia/Ho_Chi_Minh, UTC+7 all year: no daylight saving): from
 * {@code from} (inclusive) to {@code to} (exclusive); {@code from} later than {@code to} is a window across
 * midnight (22:00 to 06:00). A message due outside its window waits for its next opening.
 */
public record SendWindow(LocalTime from, LocalTime to) {

    public static final ZoneId VIETNAM = ZoneId.of("Asia/Ho_Chi_Minh");
    static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    public SendWindow {
        if (from.equals(to)) {
            throw new IllegalArgumentException("an empty window");
        }
    }

    /** Whether {@code at} falls inside the window. */
    public boolean contains(Instant at) {
        LocalTime time = at.atZone(VIETNAM).toLocalTime();
        return from.isBefore(to) ? !time.isBefore(from) && time.isBefore(to) : !time.isBefore(from) || time.isBefore(to);
    }

    /** {@code at} itself when it is inside the window, else the window's next opening after it. */
    public Instant nextOpening(Instant at) {
        if (contains(at)) {
            return at;
        }
        ZonedDateTime local = at.atZone(VIETNAM);
        LocalDate day = local.toLocalDate();
        LocalDateTime opening = day.atTime(from);
        if (!opening.isAfter(local.toLocalDateTime())) {
            opening = day.plusDays(1).atTime(from);
        }
        return opening.atZone(VIETNAM).toInstant();
    }

    /** {@code HH:mm}, as the API writes it. */
    public String fromText() {
        return from.format(HH_MM);
    }

    public String toText() {
        return to.format(HH_MM);
    }

    /**
     * A {@code send_window} as a consumer writes it ({@code {"from": "07:00", "to": "22:00"}}); null, with the
     * violations added, when it is none.
     */
    public static SendWindow read(JsonNode node, String field, List<Violation> violations) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            violations.add(new Violation(field, "must be an object with from and to (HH:mm, Asia/Ho_Chi_Minh)"));
            return null;
        }
        for (var names = node.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!name.equals("from") && !name.equals("to")) {
                violations.add(new Violation(field + "." + name, "is not a field of a send window (from, to)"));
            }
        }
        LocalTime from = time(node.get("from"), field + ".from", violations);
        LocalTime to = time(node.get("to"), field + ".to", violations);
        if (from == null || to == null) {
            return null;
        }
        if (from.equals(to)) {
            violations.add(new Violation(field, "from and to must differ (a window that never opens, or is always open: leave it out)"));
            return null;
        }
        return new SendWindow(from, to);
    }

    private static LocalTime time(JsonNode node, String field, List<Violation> violations) {
        if (node == null || node.isNull()) {
            violations.add(new Violation(field, "is required (HH:mm)"));
            return null;
        }
        if (!node.isTextual() || !node.asText().matches("\\d{2}:\\d{2}")) {
            violations.add(new Violation(field, "must be a time of day as HH:mm, e.g. 07:00"));
            return null;
        }
        try {
            return LocalTime.parse(node.asText(), HH_MM);
        } catch (DateTimeParseException notATime) {
            violations.add(new Violation(field, "must be a time of day as HH:mm, e.g. 07:00"));
            return null;
        }
    }
}
