package vn.zalogateway.console;

import java.util.List;

import vn.zalogateway.common.Int64Ids;

/**
 * Which OA's ZNS templates the page shows: the OAs a consumer may use (none listed when it may use every OA: then any
 * OA may be typed), and the one chosen, when it is a number and, with a consumer chosen, one of that consumer's OAs.
 * What keeps a choice from showing anything is said on the page ({@code problem}), never an error page. Plain code.
 */
public record OaChoice(List<Long> oas, boolean anyOa, Long chosen, String problem) {

    /**
     * @param consumer the consumer chosen, or null (operators see every OA)
     * @param oaId the OA as typed, or null
     */
    public static OaChoice of(ConsoleQueries.ConsumerRow consumer, String oaId) {
        List<Long> oas = consumer == null || consumer.allOas() ? List.of() : consumer.oaIds();
        boolean any = consumer == null || consumer.allOas();
        String typed = SearchFields.blankToNull(oaId);
        if (typed == null) {
            return new OaChoice(oas, any, null, null);
        }
        var parsed = Int64Ids.parse(typed);
        if (parsed.isEmpty()) {
            return new OaChoice(oas, any, null, "OA " + typed + ": not an OA id (a positive number of at most 19 digits)");
        }
        long oa = parsed.getAsLong();
        if (!any && !oas.contains(oa)) {
            return new OaChoice(oas, any, null, "OA " + oa + " is not one of " + consumer.name() + "'s OAs");
        }
        return new OaChoice(oas, any, oa, null);
    }
}
