package vn.zalogateway.console;

import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;


import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import vn.zalogateway.callback.CallbackEvents;
import vn.zalogateway.callback.CallbackSender;
import vn.zalogateway.common.FormBody;
import vn.zalogateway.common.audit.Audit;
import vn.zalogateway.common.Ids;
import vn.zalogateway.console.ConsoleQueries.ConsumerName;
import vn.zalogateway.console.ConsoleQueries.ConsumerRow;
import vn.zalogateway.console.signin.ConsoleSecurity;
import vn.zalogateway.console.signin.Operators;

/**
 * The console's pages. Each reads what it shows through {@link ConsoleQueries} and renders a template;
 * search fields that cannot match anything (an id that is not a UUID, a day that is not a date) are
 * said so on the page, never answered with an error page. Every page needs a session ({@code @Authenticated}, checked
 * by the resource itself whatever the path looks like); changes need the admin role as well.
 */
@Path("/console")
@Produces(MediaType.TEXT_HTML)
@Authenticated
public class ConsolePages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance overview(Frame frame, ConsoleQueries.Overview overview, BarChart delivered);

        static native TemplateInstance messages(Frame frame, MessageSearch search, List<String> statuses, List<ConsumerName> consumers,
                List<ConsoleQueries.MessageRow> messages, String problem, String next, ConsoleQueries.MessagePage scanned);

        static native TemplateInstance message(Frame frame, ConsoleQueries.MessageDetail message, ZaloCard card, String errorMeaning,
                List<Timeline.Event> timeline);

        static native TemplateInstance journeys(Frame frame, JourneySearch search, List<String> statuses, List<ConsumerName> consumers,
                List<ConsoleQueries.JourneyRow> journeys, String problem, String next);

        static native TemplateInstance journey(Frame frame, ConsoleQueries.JourneyRow journey, List<ConsoleQueries.MessageRow> messages);

        static native TemplateInstance receipts(Frame frame, boolean invalid, List<ConsoleQueries.ReceiptRow> receipts, String next);

        static native TemplateInstance costs(Frame frame, List<ConsoleCharts.OaCosts> oas, List<ConsoleQueries.DayCost> costs);

        static native TemplateInstance consumers(Frame frame, List<ConsumerRow> consumers);

        static native TemplateInstance consumer(Frame frame, ConsumerRow consumer, List<String> statuses, String status,
                boolean redelivered, List<ConsoleQueries.CallbackRow> deliveries, String next);

        static native TemplateInstance notFound(Frame frame, String what);
    }

    static final int COST_DAYS = 14;
    private static final List<String> CALLBACK_STATUSES = List.of("PENDING", "DELIVERED", "FAILED");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Frames frames;
    private final ConsoleQueries queries;
    private final CallbackSender sender;

    ConsolePages(Frames frames, ConsoleQueries queries, CallbackSender sender) {
        this.frames = frames;
        this.queries = queries;
        this.sender = sender;
    }

    @GET
    public Uni<TemplateInstance> overview() {
        Frame frame = frames.of("overview");
        return queries.overview().map(overview -> localised(Templates.overview(frame, overview,
                ConsoleCharts.deliveredPerMinute(overview.deliveredPerMinute(), Instant.now())), frame));
    }

    @GET
    @Path("/messages")
    public Uni<TemplateInstance> messages(@QueryParam("id") String id, @QueryParam("ext") String ext, @QueryParam("user_id") String userId,
            @QueryParam("oa_id") String oaId, @QueryParam("status") String status, @QueryParam("date") String date,
            @QueryParam("consumer") String consumer, @QueryParam("fallback") String fallback, @QueryParam("batch") String batch, @QueryParam("before") String before) {
        Frame frame = frames.of("messages");
        MessageSearch search = MessageSearch.of(id, ext, userId, oaId, status, date, consumer, fallback, batch);
        return queries.consumerNames().chain(consumers -> {
            MessageSearch.Read read = search.read(consumers, before);
            Uni<ConsoleQueries.MessagePage> rows = read.filter() == null
                    ? Uni.createFrom().item(new ConsoleQueries.MessagePage(List.of(), null, null))
                    : read.filter().fellBack() ? queries.fallbacks(read.filter())
                            : queries.messages(read.filter()).map(found -> new ConsoleQueries.MessagePage(found, null, null));
            return rows.map(found -> {
                List<ConsoleQueries.MessageRow> messages = found.messages();
                // A full page goes on after its last message; a fallback search that used its budget, after what it looked at.
                String next = messages.size() > ConsoleQueries.PAGE ? search.nextPage(messages.get(ConsoleQueries.PAGE - 1).id())
                        : found.scannedTo() != null ? search.nextPage(found.scannedTo()) : null;
                boolean scanEnded = messages.size() <= ConsoleQueries.PAGE && found.scannedTo() != null;
                return localised(Templates.messages(frame, search, MessageSearch.STATUSES, consumers, page(messages), read.problem(),
                        next, scanEnded ? found : null), frame);
            });
        });
    }

    @GET
    @Path("/messages/{id}")
    public Uni<Response> message(@PathParam("id") String id) {
        Frame frame = frames.of("messages");
        UUID messageId = Ids.parseOrNull(id);
        if (messageId == null) {
            return Uni.createFrom().item(notFound(frame, id));
        }
        return queries.message(messageId).chain(message -> {
            if (message == null) {
                return Uni.createFrom().item(notFound(frame, id));
            }
            Uni<ConsoleQueries.JourneyRow> journey = message.journeyId() == null ? Uni.createFrom().nullItem()
                    : queries.journey(message.journeyId());
            return Uni.combine().all().unis(queries.receiptsOf(messageId), queries.callbacksOf(messageId), journey,
                    queries.callbackAttemptsOf(messageId)).asTuple()
                    .map(all -> {
                        ZaloCard card = message.zaloPayload() == null ? null : ZaloCard.of(readJson(message.zaloPayload()));
                        var timeline = Timeline.of(message, all.getItem3(), all.getItem1(), all.getItem2(), all.getItem4());
                        return Response.ok(localised(Templates.message(frame, message, card, Timeline.meaning(message.row().errorCode()),
                                timeline), frame)).build();
                    });
        });
    }

    @GET
    @Path("/journeys")
    public Uni<TemplateInstance> journeys(@QueryParam("phone") String phone, @QueryParam("oa_id") String oaId,
            @QueryParam("status") String status, @QueryParam("consumer") String consumer, @QueryParam("before") String before) {
        Frame frame = frames.of("journeys");
        JourneySearch search = JourneySearch.of(phone, oaId, status, consumer);
        return queries.consumerNames().chain(consumers -> {
            JourneySearch.Read read = search.read(consumers, before);
            Uni<List<ConsoleQueries.JourneyRow>> rows = read.filter() == null ? Uni.createFrom().item(List.of())
                    : queries.journeys(read.filter());
            return rows.map(found -> localised(Templates.journeys(frame, search, JourneySearch.STATUSES, consumers, page(found),
                    read.problem(), found.size() > ConsoleQueries.PAGE ? search.nextPage(found.get(ConsoleQueries.PAGE - 1).id()) : null),
                    frame));
        });
    }

    @GET
    @Path("/journeys/{id}")
    public Uni<Response> journey(@PathParam("id") String id) {
        Frame frame = frames.of("journeys");
        UUID journeyId = Ids.parseOrNull(id);
        if (journeyId == null) {
            return Uni.createFrom().item(notFound(frame, id));
        }
        return queries.journey(journeyId).chain(journey -> journey == null ? Uni.createFrom().item(notFound(frame, id))
                : queries.messagesOfJourney(journeyId)
                        .map(messages -> Response.ok(localised(Templates.journey(frame, journey, messages), frame)).build()));
    }

    @GET
    @Path("/receipts")
    public Uni<TemplateInstance> receipts(@QueryParam("kind") String kind, @QueryParam("before") String before) {
        Frame frame = frames.of("receipts");
        boolean invalid = "invalid".equals(kind);
        Long beforeId = before == null || !before.matches("[0-9]{1,18}") ? null : Long.valueOf(before);
        return queries.receiptsNotApplied(!invalid, beforeId).map(rows -> {
            String next = rows.size() > ConsoleQueries.PAGE
                    ? "/console/receipts?kind=" + (invalid ? "invalid" : "unmatched") + "&before=" + rows.get(ConsoleQueries.PAGE - 1).id()
                    : null;
            return localised(Templates.receipts(frame, invalid, page(rows), next), frame);
        });
    }

    @GET
    @Path("/costs")
    public Uni<TemplateInstance> costs() {
        Frame frame = frames.of("costs");
        return queries.costs(COST_DAYS).map(costs -> {
            List<ConsoleQueries.DayCost> newestFirst = new ArrayList<>(costs);
            Collections.reverse(newestFirst);
            return localised(Templates.costs(frame, ConsoleCharts.costsPerOa(costs, LocalDate.now(ConsoleFormat.ZONE), COST_DAYS),
                    newestFirst), frame);
        });
    }

    @GET
    @Path("/consumers")
    public Uni<TemplateInstance> consumers() {
        Frame frame = frames.of("consumers");
        return queries.consumers().map(consumers -> localised(Templates.consumers(frame, consumers), frame));
    }

    @GET
    @Path("/consumers/{id}")
    public Uni<Response> consumer(@PathParam("id") String id, @QueryParam("status") String status, @QueryParam("before") String before,
            @QueryParam("redelivered") String redelivered) {
        Frame frame = frames.of("consumers");
        UUID consumerId = Ids.parseOrNull(id);
        String knownStatus = status != null && CALLBACK_STATUSES.contains(status) ? status : null;
        Uni<ConsumerRow> found = consumerId == null ? Uni.createFrom().nullItem() : queries.consumer(consumerId);
        return found.chain(consumer -> {
            if (consumer == null) {
                return Uni.createFrom().item(notFound(frame, id));
            }
            return queries.deliveries(consumerId, knownStatus, Ids.parseOrNull(before)).map(rows -> {
                String next = rows.size() > ConsoleQueries.PAGE ? "/console/consumers/" + consumerId + "?"
                        + (knownStatus == null ? "" : "status=" + knownStatus + "&") + "before=" + rows.get(ConsoleQueries.PAGE - 1).id()
                        : null;
                return Response.ok(localised(Templates.consumer(frame, consumer, CALLBACK_STATUSES, knownStatus, redelivered != null,
                        page(rows), next), frame)).build();
            });
        });
    }

    /** Sends a callback again now: operators with the admin role only, with the page's form token. */
    @POST
    @Path("/consumers/{id}/deliveries/{event}/redeliver")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Operators.ADMIN)
    public Uni<Response> redeliver(@PathParam("id") String id, @PathParam("event") String event, byte[] body) {
        FormBody form = FormBody.read(body);
        if (form == null || !frames.formTokenValid(form.get(ConsoleSecurity.FORM_FIELD))) {
            return Uni.createFrom().item(Response.status(Response.Status.FORBIDDEN).type(MediaType.TEXT_PLAIN)
                    .entity("form token missing or expired: reload the page").build());
        }
        UUID consumerId = Ids.parseOrNull(id);
        UUID eventId = Ids.parseOrNull(event);
        if (consumerId == null || eventId == null) {
            return Uni.createFrom().item(notFound(frames.of("consumers"), event));
        }
        String operator = frames.operator();
        return sender.redeliverNow(consumerId, eventId).map(redelivery -> {
            if (redelivery == CallbackEvents.Redelivery.NOT_FOUND) {
                return notFound(frames.of("consumers"), event);
            }
            if (redelivery == CallbackEvents.Redelivery.QUEUED) {
                Audit.record("operator:" + operator, "callback.redelivered", eventId.toString());
            }
            return Response.seeOther(URI.create("/console/consumers/" + consumerId + "?redelivered=" + eventId)).build();
        });
    }

    /** Any other console address: the console's own 404 page, not the API's problem document. */
    @GET
    @Path("/{unknown: .+}")
    public Response unknown(@PathParam("unknown") String unknown) {
        return notFound(frames.of(""), "/console/" + unknown);
    }

    /** The console's 404 page (the new pages of other resources answer it too). */
    static Response notFound(Frame frame, String what) {
        return Response.status(Response.Status.NOT_FOUND).entity(localised(Templates.notFound(frame, what), frame)).build();
    }

    static TemplateInstance localised(TemplateInstance instance, Frame frame) {
        return instance.setLocale(frame.lang());
    }

    static <T> List<T> page(List<T> rows) {
        return rows.size() > ConsoleQueries.PAGE ? rows.subList(0, ConsoleQueries.PAGE) : rows;
    }

    private static com.fasterxml.jackson.databind.JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }
}
