package vn.zalogateway.console;

import java.util.List;
import java.util.UUID;

import vn.zalogateway.common.Ids;
import vn.zalogateway.message.MessageStatus;

/**
 * The message search as typed (shown again on the page), and the filter it means. {@code fallback} is {@code sms} for
 * the messages that fell back to an SMS; {@code batch} a batch's id, for its messages.
 */
public record MessageSearch(String id, String ext, String userId, String oaId, String status, String date, String consumer,
        String fallback, String batch) {

    public static final List<String> STATUSES = List.of(MessageStatus.PATTERN.split("\\|"));
    static final String FELL_BACK = "sms";

    public static MessageSearch of(String id, String ext, String userId, String oaId, String status, String date, String consumer,
            String fallback, String batch) {
        return new MessageSearch(SearchFields.blankToNull(id), SearchFields.blankToNull(ext), SearchFields.blankToNull(userId),
                SearchFields.blankToNull(oaId), SearchFields.blankToNull(status), SearchFields.blankToNull(date),
                SearchFields.blankToNull(consumer), SearchFields.blankToNull(fallback), SearchFields.blankToNull(batch));
    }

    /** The filter, or what keeps the search from matching anything. */
    public record Read(ConsoleQueries.MessageFilter filter, String problem) {
    }

    public Read read(List<ConsoleQueries.ConsumerName> consumers, String before) {
        SearchFields fields = new SearchFields();
        var filter = new ConsoleQueries.MessageFilter(fields.uuid(id, "ID"), ext, userId, fields.number(oaId, "OA"),
                fields.oneOf(status, STATUSES), fields.day(date), fields.consumer(consumers, consumer),
                fields.flag(fallback, FELL_BACK, "fallback"), fields.uuid(batch, "batch"), Ids.parseOrNull(before));
        return new Read(fields.problem() == null ? filter : null, fields.problem());
    }

    public boolean fellBack() {
        return FELL_BACK.equals(fallback);
    }

    /** The page after the one that ended with that message (or the oldest message a fallback search looked at). */
    public String nextPage(UUID last) {
        return SearchFields.nextPage("/console/messages", new String[][] { { "id", id }, { "ext", ext }, { "user_id", userId },
                { "oa_id", oaId }, { "status", status }, { "date", date }, { "consumer", consumer }, { "fallback", fallback },
                { "batch", batch } }, last.toString());
    }
}
