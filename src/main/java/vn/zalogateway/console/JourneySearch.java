package vn.zalogateway.console;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import vn.zalogateway.common.Ids;
import vn.zalogateway.common.PhoneNumbers;
import vn.zalogateway.journey.JourneyStatus;

/** The journey search as typed, and the filter it means; a phone in any of its forms finds the journey. */
public record JourneySearch(String phone, String oaId, String status, String consumer) {

    public static final List<String> STATUSES = Arrays.stream(JourneyStatus.values()).map(Enum::name).toList();

    public static JourneySearch of(String phone, String oaId, String status, String consumer) {
        return new JourneySearch(SearchFields.blankToNull(phone), SearchFields.blankToNull(oaId), SearchFields.blankToNull(status),
                SearchFields.blankToNull(consumer));
    }

    public record Read(ConsoleQueries.JourneyFilter filter, String problem) {
    }

    public Read read(List<ConsoleQueries.ConsumerName> consumers, String before) {
        SearchFields fields = new SearchFields();
        String normalised = phone == null ? null : PhoneNumbers.normalise(phone.replaceAll("[\\s.()-]", "")).orElse(phone);
        var filter = new ConsoleQueries.JourneyFilter(normalised, fields.number(oaId, "OA"), fields.oneOf(status, STATUSES),
                fields.consumer(consumers, consumer), Ids.parseOrNull(before));
        return new Read(fields.problem() == null ? filter : null, fields.problem());
    }

    public String nextPage(UUID last) {
        return SearchFields.nextPage("/console/journeys", new String[][] { { "phone", phone }, { "oa_id", oaId }, { "status", status },
                { "consumer", consumer } }, last.toString());
    }
}
