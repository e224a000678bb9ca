package vn.zalogateway.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import vn.zalogateway.common.Ids;

/**
 * Reading the console's search fields as typed. A field that cannot match anything (an id that is not a
 * UUID, a day that is not a date) becomes a problem said on the page, never an error page.
 */
final class SearchFields {

    final List<String> problems = new ArrayList<>();

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    UUID uuid(String value, String field) {
        UUID id = value == null ? null : Ids.parseOrNull(value);
        if (value != null && id == null) {
            problems.add(field + ": not an id (a UUID)");
        }
        return id;
    }

    Long number(String value, String field) {
        if (value == null) {
            return null;
        }
        if (!value.matches("[0-9]{1,19}")) { // OA ids have 19 digits
            problems.add(field + ": digits only");
            return null;
        }
        try {
            return Long.valueOf(value);
        } catch (NumberFormatException e) {
            problems.add(field + ": too large");
            return null;
        }
    }

    String oneOf(String value, List<String> known) {
        if (value != null && !known.contains(value)) {
            problems.add(value + ": not a status");
            return null;
        }
        return value;
    }

    /** A check box: its one value, or absent. */
    boolean flag(String value, String on, String field) {
        if (value != null && !value.equals(on)) {
            problems.add(field + ": " + on + " or nothing");
        }
        return on.equals(value);
    }

    LocalDate day(String value) {
        try {
            return value == null ? null : LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            problems.add(value + ": not a date (yyyy-mm-dd)");
            return null;
        }
    }

    UUID consumer(List<ConsoleQueries.ConsumerName> consumers, String name) {
        if (name == null) {
            return null;
        }
        return consumers.stream().filter(consumer -> consumer.name().equals(name)).map(ConsoleQueries.ConsumerName::id).findFirst()
                .orElseGet(() -> {
                    problems.add(name + ": no such consumer");
                    return null;
                });
    }

    /** What is wrong with the search, or null. */
    String problem() {
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    /** The next page's address: the search as given (fields left empty left out) and the cursor. */
    static String nextPage(String path, String[][] search, String before) {
        StringBuilder url = new StringBuilder(path).append('?');
        for (String[] field : search) {
            if (field[1] != null) {
                url.append(field[0]).append('=').append(URLEncoder.encode(field[1], StandardCharsets.UTF_8)).append('&');
            }
        }
        return url.append("before=").append(before).toString();
    }
}
