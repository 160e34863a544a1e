package org.mispsentinel.standin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MispStandInTest {

    private static final String KEY = "test-misp-key-0123456789";
    private static final List<String> ORDER = List.of("Attribute.timestamp asc", "Attribute.id asc");
    private final StandInHttp http = new StandInHttp();
    private InMemoryMispDataset dataset;
    private MispStandIn misp;

    @BeforeEach
    void start() {
        dataset = new InMemoryMispDataset();
        for (int i = 1; i <= 25; i++) {
            dataset.add(MispAttributes.attribute("ip-dst", "198.51.100." + i).toIds(i % 5 != 0).timestamp(1_700_000_000L + i));
        }
        misp = new MispStandIn(KEY, dataset);
    }

    @AfterEach
    void stop() {
        misp.close();
    }

    private HttpResponse<String> search(Object body) {
        return http.postJson(misp.baseUrl() + MispStandIn.PATH, body, Map.of("Authorization", KEY));
    }

    private static List<String> ids(HttpResponse<String> response) {
        List<String> ids = new ArrayList<>();
        StandInHttp.json(response).path("response").path("Attribute").forEach(a -> ids.add(a.path("id").asText()));
        return ids;
    }

    @Test
    void objectViewAnswersLikeMispWithTheUndeletedMembersAndTheirOwnTags() {
        dataset.addObject(MispAttributes.object(7, "0b3ce6aa-7d13-4598-89df-292867dc711b", "file", "file", 1_700_000_000L));
        ObjectNode md5 = dataset.add(MispAttributes.attribute("md5", "8764605c6f388c89096b534d33565802")
                .inObject("7", "md5").tag("tlp:amber").eventTag("tlp:green"));
        dataset.add(MispAttributes.attribute("sha1", "46aba99aa7158e4609aaa72b50990842fd22ae86").inObject("7", "sha1")
                .deleted(true));

        HttpResponse<String> found = http.get(misp.baseUrl() + "/objects/view/7", Map.of("Authorization", KEY));
        HttpResponse<String> missing = http.get(misp.baseUrl() + "/objects/view/8", Map.of("Authorization", KEY));
        HttpResponse<String> refused = http.get(misp.baseUrl() + "/objects/view/7");

        assertThat(md5.path("Object").path("id").asText()).as("restSearch names the object by id only").isEqualTo("7");
        assertThat(md5.path("Object").has("name")).isFalse();
        JsonNode object = StandInHttp.json(found).path("Object");
        assertThat(object.path("name").asText()).isEqualTo("file");
        assertThat(object.path("Attribute")).singleElement().satisfies(m -> {
            assertThat(m.path("object_relation").asText()).isEqualTo("md5");
            assertThat(m.has("Event")).isFalse();
            assertThat(m.path("AttributeTag")).singleElement()
                    .satisfies(t -> assertThat(t.path("Tag").path("name").asText()).isEqualTo("tlp:amber"));
        });
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(StandInHttp.json(missing).path("message").asText()).isEqualTo("Invalid object.");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(misp.objectRequestCount()).isEqualTo(3);
        assertThat(misp.requestCount()).as("restSearch requests are counted apart").isZero();
    }

    /**
     * MispAttribute::set_filter_uuid (MISP 2.5): the listed uuids, under the other filters as any
     * attributes; and when a listed uuid is an event's, every attribute of that event as well
     * ({@code Attribute.event_id IN (events with those uuids) OR Attribute.uuid IN (...)}).
     */
    @Test
    void uuidListSelectsThoseAttributesUnderTheOtherFilters() {
        String three = dataset.get(3).orElseThrow().path("uuid").asText();
        String ten = dataset.get(10).orElseThrow().path("uuid").asText();
        List<String> asked = List.of(three, ten, "00000000-0000-4000-8000-000000000000");

        assertThat(ids(search(Map.of("uuid", asked, "order", ORDER)))).containsExactly("3", "10");
        assertThat(ids(search(Map.of("uuid", asked, "to_ids", true, "order", ORDER)))).containsExactly("3");
        assertThat(ids(search(Map.of("uuid", three)))).containsExactly("3");

        String event = dataset.get(3).orElseThrow().path("event_uuid").asText();
        assertThat(ids(search(Map.of("uuid", List.of(event), "order", ORDER))))
                .as("an event's uuid brings all its attributes").hasSize(dataset.size());
    }

    @Test
    void listensOnLoopbackAndNamesLocalhostInItsBaseUrl() {
        assertThat(misp.baseUrl()).isEqualTo("https://localhost:" + misp.port());
        assertThat(misp.port()).isPositive();
    }

    /** misp-api.md (observed) and MispAttribute::__iteratedFetch: X-Result-Count is per page. */
    @Test
    void countsEachPageInXResultCountNotTheWholeResult() {
        HttpResponse<String> first = search(Map.of("returnFormat", "json", "page", 1, "limit", 10, "order", ORDER));
        HttpResponse<String> third = search(Map.of("returnFormat", "json", "page", 3, "limit", 10, "order", ORDER));
        HttpResponse<String> beyond = search(Map.of("returnFormat", "json", "page", 4, "limit", 10, "order", ORDER));

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("X-Result-Count")).as("full page: limit + 1").contains("11");
        assertThat(ids(first)).containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
        assertThat(third.headers().firstValue("X-Result-Count")).as("last page: its rows").contains("5");
        assertThat(ids(third)).containsExactly("21", "22", "23", "24", "25");
        assertThat(ids(beyond)).isEmpty();
        assertThat(beyond.headers().firstValue("X-Result-Count")).as("past the end").contains("1");
        assertThat(first.headers().firstValue("X-Skipped-Elements-Count")).contains("0");
    }

    /** misp-api.md (observed): no ORDER BY unless order is sent; the order whitelist of MispAttribute::restSearch. */
    @Test
    void answersInNoNaturalOrderUnlessOrderIsSentAndDropsAnOrderItDoesNotAllow() {
        List<String> unordered = ids(search(Map.of("limit", 25)));
        List<String> sorted = unordered.stream().sorted(java.util.Comparator.comparingInt(Integer::parseInt)).toList();

        assertThat(unordered).containsExactlyInAnyOrderElementsOf(sorted).isNotEqualTo(sorted);
        assertThat(ids(search(Map.of("limit", 25)))).as("stable while the data is").isEqualTo(unordered);
        assertThat(ids(search(Map.of("limit", 3, "order", List.of("Attribute.id desc"))))).containsExactly("25", "24", "23");
        assertThat(ids(search(Map.of("limit", 25, "order", List.of("Attribute.id asc", "Event.timestamp desc")))))
                .as("one column it does not allow drops the whole order").isEqualTo(unordered);
    }

    /**
     * misp-api.md (observed) and MispAttribute::fetchAttributes: warninglists and decaying models drop
     * rows in PHP after SQL's LIMIT, so a page in the middle comes back short, and says how many.
     */
    @Test
    void shortensAPageInTheMiddleByWhatWarninglistsAndDecayingModelsDrop() {
        dataset.addToWarninglist("198.51.100.2");
        dataset.addToWarninglist("198.51.100.7");
        dataset.add(MispAttributes.attribute("domain", "decayed.example.org").id(26).timestamp(1_700_000_000L)
                .field("decay_score", Json.MAPPER.createArrayNode().add(Json.object().put("score", 3).put("decayed", true))));
        List<Object> order = List.of("Attribute.timestamp asc", "Attribute.id asc");

        HttpResponse<String> first = search(Map.of("limit", 10, "page", 1, "enforceWarninglist", true,
                "excludeDecayed", true, "order", order));
        HttpResponse<String> second = search(Map.of("limit", 10, "page", 2, "enforceWarninglist", true, "order", order));
        HttpResponse<String> unfiltered = search(Map.of("limit", 10, "page", 1, "order", order));

        assertThat(ids(first)).hasSize(7).doesNotContain("2", "7", "26");
        assertThat(first.headers().firstValue("X-Skipped-Elements-Count")).contains("3");
        assertThat(first.headers().firstValue("X-Result-Count")).contains("10");
        assertThat(ids(second)).first().isEqualTo("10");
        assertThat(ids(unfiltered)).contains("2", "7", "26");
    }

    @Test
    void returnsEverythingWhenNoLimitIsGiven() {
        assertThat(ids(search(Map.of("returnFormat", "json", "page", 2)))).hasSize(25);
    }

    @Test
    void answers403InMispsShapeWhenTheKeyIsWrongOrMissing() {
        HttpResponse<String> wrong = http.postJson(misp.baseUrl() + MispStandIn.PATH, Map.of(), Map.of("Authorization", "nope"));
        HttpResponse<String> missing = http.postJson(misp.baseUrl() + MispStandIn.PATH, Map.of(), Map.of());

        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(missing.statusCode()).isEqualTo(403);
        JsonNode body = StandInHttp.json(wrong);
        assertThat(body.path("name").asText()).startsWith("Authentication failed. Please make sure you pass the API key");
        assertThat(body.path("url").asText()).isEqualTo("/attributes/restSearch");
        assertThat(body.has("message")).isTrue();
        assertThat(misp.rejectedKeys()).isEqualTo(2);
    }

    @Test
    void filtersByTimestampGivenAsNumberStringOrRange() {
        assertThat(search(Map.of("timestamp", 1_700_000_020L)).headers().firstValue("X-Result-Count")).contains("6");
        assertThat(ids(search(Map.of("timestamp", "1700000020", "order", ORDER))))
                .containsExactly("20", "21", "22", "23", "24", "25");
        assertThat(ids(search(Map.of("timestamp", List.of(1_700_000_003L, "1700000005"), "order", ORDER))))
                .containsExactly("3", "4", "5");
    }

    @Test
    void filtersByToIds() {
        HttpResponse<String> response = search(Map.of("to_ids", 1, "timestamp", 1_700_000_001L));
        assertThat(response.headers().firstValue("X-Result-Count")).contains("20");
        assertThat(ids(response)).doesNotContain("5", "10", "15", "20", "25");
        assertThat(ids(search(Map.of("to_ids", false, "order", ORDER)))).containsExactly("5", "10", "15", "20", "25");
    }

    @Test
    void hidesDeletedAttributesUnlessAsked() {
        dataset.add(MispAttributes.attribute("domain", "gone.example.org").id(26).deleted(true).timestamp(1_700_000_100L));

        assertThat(ids(search(Map.of()))).hasSize(25).doesNotContain("26");
        assertThat(ids(search(Map.of("deleted", 1)))).containsExactly("26");
        assertThat(ids(search(Map.of("deleted", List.of(0, 1))))).hasSize(26);
    }

    @Test
    void turnsAnInvalidTimeFilterIntoAnEmptyResultAsMispDoes() {
        HttpResponse<String> response = search(Map.of("timestamp", "yesterday"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Result-Count")).contains("0");
        assertThat(response.body()).isEqualTo("{\"response\":{\"Attribute\":[]}}");
    }

    @Test
    void recordsEveryRequestBodySoTestsCanAssertWhatWasAsked() {
        search(Map.of("returnFormat", "json", "page", 1, "limit", 10, "includeEventUuid", true));
        http.postJson(misp.baseUrl() + MispStandIn.PATH, Map.of("page", 2), Map.of("Authorization", "wrong"));

        assertThat(misp.requestCount()).isEqualTo(2);
        assertThat(misp.requests()).hasSize(2);
        assertThat(misp.requests().get(0).path("includeEventUuid").asBoolean()).isTrue();
        assertThat(misp.lastRequest().path("page").asInt()).isEqualTo(2);
    }

    @Test
    void seesAttributesAddedBetweenPages() {
        HttpResponse<String> first = search(Map.of("page", 1, "limit", 20, "order", ORDER));
        dataset.add(MispAttributes.attribute("domain", "new.example.com").timestamp(1_700_000_500L));
        HttpResponse<String> second = search(Map.of("page", 2, "limit", 20, "order", ORDER));

        assertThat(ids(first)).hasSize(20);
        assertThat(ids(second)).containsExactly("21", "22", "23", "24", "25", "26");
    }

    /** misp-api.md (observed) and Event::set_filter_published: true/1 published, 0 unpublished, false no filter. */
    @Test
    void filtersByPublicationAsObserved() {
        dataset.addToEvent(MispAttributes.attribute("domain", "draft.example.org").id(26).event("2", "Draft"));

        assertThat(ids(search(Map.of("published", true)))).hasSize(25).doesNotContain("26");
        assertThat(ids(search(Map.of("published", 1)))).hasSize(25);
        assertThat(ids(search(Map.of("published", 0)))).containsExactly("26");
        assertThat(ids(search(Map.of("published", false)))).hasSize(26);
        assertThat(ids(search(Map.of()))).hasSize(26);
    }

    /**
     * misp-api.md (observed) and MISP's controllers: an edit unpublishes its event; publishing moves
     * publish_timestamp and leaves every attribute timestamp as it was; an import keeps its old
     * timestamps. Event.timestamp is event_timestamp, Event.publish_timestamp publish_timestamp
     * (Event::set_filter_timestamp).
     */
    @Test
    void editsUnpublishAndPublishingMovesOnlyThePublishTimestamp() {
        long now = Instant.now().getEpochSecond();
        dataset.importEvent(true, List.of(
                MispAttributes.attribute("domain", "old.example.org").id(30).event("3", "Imported").timestamp(1_500_000_000L)));

        assertThat(ids(search(Map.of("published", true, "publish_timestamp", now - 60, "eventid", "3"))))
                .containsExactly("30");
        assertThat(ids(search(Map.of("timestamp", now - 60)))).as("the attribute keeps its timestamp").isEmpty();

        dataset.edit(30, a -> a.put("comment", "reviewed"));
        assertThat(ids(search(Map.of("published", true, "eventid", "3")))).as("an edit unpublishes").isEmpty();
        assertThat(ids(search(Map.of("event_timestamp", now - 60, "eventid", "3")))).containsExactly("30");

        dataset.publish("3");
        JsonNode republished = StandInHttp.json(search(Map.of("published", true, "eventid", "3")))
                .path("response").path("Attribute").get(0);
        assertThat(republished.path("Event").path("publish_timestamp").asLong()).isGreaterThanOrEqualTo(now);
        assertThat(republished.path("timestamp").asLong()).isGreaterThanOrEqualTo(now);
        assertThat(ids(search(Map.of("publish_timestamp", List.of(now - 60, now + 60))))).contains("30");
    }

    /** misp-api.md (observed): type as one, a list, OR/NOT; tags match attribute and event tags alike. */
    @Test
    void filtersByTypeAndByAttributeOrEventTags() {
        dataset.add(MispAttributes.attribute("domain", "tagged.example.org").id(50).event("5", "Tagged").tag("kill-chain:c2"));
        dataset.add(MispAttributes.attribute("md5", "8764605c6f388c89096b534d33565802").id(51).event("6", "Event tag"));
        dataset.tagEvent("6", "tlp:amber");

        assertThat(ids(search(Map.of("type", "domain")))).containsExactly("50");
        assertThat(ids(search(Map.of("type", Map.of("OR", List.of("domain", "md5")))))).containsExactlyInAnyOrder("50", "51");
        assertThat(ids(search(Map.of("type", Map.of("NOT", List.of("ip-dst")))))).containsExactlyInAnyOrder("50", "51");
        assertThat(ids(search(Map.of("tags", List.of("kill-chain:c2"))))).containsExactly("50");
        assertThat(ids(search(Map.of("tags", List.of("tlp:amber"))))).as("an event tag").containsExactly("51");
        assertThat(ids(search(Map.of("tags", Map.of("NOT", List.of("tlp:amber")))))).hasSize(26).doesNotContain("51");
    }

    /** misp-api.md (observed): no Orgc in the Event block unless includeContext is sent. */
    @Test
    void givesTheCreatorOrganisationOnlyWithIncludeContext() {
        dataset.add(MispAttributes.attribute("domain", "org.example.org").id(40).event("4", "With org")
                .orgc("CIRCL", "55f6ea5e-2c60-40e5-964f-47a8950d210f"));

        JsonNode plain = StandInHttp.json(search(Map.of("eventid", "4"))).path("response").path("Attribute").get(0);
        JsonNode context = StandInHttp.json(search(Map.of("eventid", "4", "includeContext", true)))
                .path("response").path("Attribute").get(0);

        assertThat(plain.path("Event").has("Orgc")).isFalse();
        assertThat(plain.path("Event").path("orgc_id").asText()).isEqualTo("1");
        assertThat(context.path("Event").path("Orgc").path("name").asText()).isEqualTo("CIRCL");
        assertThat(context.path("Event").path("published").asBoolean()).isTrue();
    }

    /** misp-api.md (observed): a body without Content-Type application/json is not parsed; malformed JSON is 405. */
    @Test
    void ignoresEveryFilterOfABodyNotSentAsJsonAndRefusesMalformedJson() {
        HttpResponse<String> unparsed = http.post(misp.baseUrl() + MispStandIn.PATH,
                "{\"limit\": 1, \"to_ids\": true}", Map.of("Authorization", KEY));
        HttpResponse<String> malformed = http.post(misp.baseUrl() + MispStandIn.PATH, "{\"limit\": ",
                Map.of("Authorization", KEY, "Content-Type", "application/json"));
        HttpResponse<String> get = http.get(misp.baseUrl() + MispStandIn.PATH, Map.of("Authorization", KEY));

        assertThat(ids(unparsed)).hasSize(25);
        assertThat(malformed.statusCode()).isEqualTo(405);
        assertThat(StandInHttp.json(malformed).path("message").asText()).isEqualTo("Invalid JSON input");
        assertThat(get.statusCode()).isEqualTo(400);
    }

    /** misp-api.md (observed): a soft-deleted object is 200 with deleted: true and no members. */
    @Test
    void answersASoftDeletedObjectWithItsFlagAndNoMembers() {
        dataset.addObject(MispAttributes.object(9, "4a8f4b0e-8e0b-4c43-9f1c-3d2f2b8f5a10", "file", "file", 1_700_000_000L));
        dataset.add(MispAttributes.attribute("md5", "8764605c6f388c89096b534d33565802").inObject("9", "md5"));
        dataset.softDeleteObject("9");

        HttpResponse<String> response = http.get(misp.baseUrl() + "/objects/view/9", Map.of("Authorization", KEY));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(StandInHttp.json(response).path("Object").path("deleted").asBoolean()).isTrue();
        assertThat(StandInHttp.json(response).path("Object").path("Attribute")).isEmpty();
    }

    /** MispObject::restSearch with eventid, written by JsonExport as {"response": [{"Object": ...}]}. */
    @Test
    void searchesObjectsByEvent() {
        dataset.addObject(MispAttributes.object(11, "4a8f4b0e-8e0b-4c43-9f1c-3d2f2b8f5a11", "file", "file", 1_700_000_000L));
        dataset.add(MispAttributes.attribute("md5", "8764605c6f388c89096b534d33565802").inObject("11", "md5"));

        HttpResponse<String> found = http.postJson(misp.baseUrl() + "/objects/restSearch",
                Map.of("returnFormat", "json", "eventid", List.of("1")), Map.of("Authorization", KEY));
        HttpResponse<String> none = http.postJson(misp.baseUrl() + "/objects/restSearch",
                Map.of("returnFormat", "json", "eventid", List.of("99")), Map.of("Authorization", KEY));

        assertThat(StandInHttp.json(found).path("response")).singleElement().satisfies(o -> {
            assertThat(o.path("Object").path("id").asText()).isEqualTo("11");
            assertThat(o.path("Object").path("Attribute")).singleElement()
                    .satisfies(m -> assertThat(m.path("object_relation").asText()).isEqualTo("md5"));
        });
        assertThat(StandInHttp.json(none).path("response")).isEmpty();
        assertThat(misp.objectSearchCount()).isEqualTo(2);
    }

    @Test
    void buildsAttributesInMispsExactJsonShape() {
        ObjectNode attribute = MispAttributes.attribute("ip-dst", "203.0.113.7")
                .id(12345).event("42", "Phishing wave").toIds(true).timestamp(1_700_000_000L)
                .lastSeen(Instant.ofEpochSecond(1_700_000_000L)).eventTag("tlp:green").build();

        List<String> fields = new ArrayList<>();
        attribute.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("id", "event_id", "object_id", "object_relation", "category", "type", "value",
                "to_ids", "uuid", "timestamp", "distribution", "comment", "deleted", "first_seen", "last_seen",
                "event_uuid", "Event", "Tag");
        assertThat(attribute.get("id").isTextual()).isTrue();
        assertThat(attribute.get("timestamp").asText()).isEqualTo("1700000000");
        assertThat(attribute.get("distribution").isTextual()).isTrue();
        assertThat(attribute.get("to_ids").isBoolean()).isTrue();
        assertThat(attribute.get("deleted").isBoolean()).isTrue();
        assertThat(attribute.get("object_id").asText()).isEqualTo("0");
        assertThat(attribute.get("object_relation").isNull()).isTrue();
        assertThat(attribute.get("first_seen").isNull()).isTrue();
        assertThat(attribute.get("last_seen").asText()).isEqualTo("2023-11-14T22:13:20.000000+00:00");
        assertThat(attribute.get("category").asText()).isEqualTo("Network activity");
        assertThat(attribute.get("Event").get("uuid")).isEqualTo(attribute.get("event_uuid"));
        assertThat(attribute.get("Event").get("info").asText()).isEqualTo("Phishing wave");
        assertThat(attribute.get("Tag").get(0).get("name").asText()).isEqualTo("tlp:green");
        assertThat(attribute.get("Tag").get(0).get("inherited").asInt()).isEqualTo(1);
        assertThat(MispAttributes.attribute("domain", "a.example.org").build().has("Tag")).isFalse();
    }

    @Test
    void appliesAScriptedStatusOnceThenAnswersNormally() {
        misp.enqueue(MispFault.serverError()).enqueue(MispFault.htmlPage());

        HttpResponse<String> error = search(Map.of());
        HttpResponse<String> html = search(Map.of());
        HttpResponse<String> normal = search(Map.of("limit", 1, "order", ORDER));

        assertThat(error.statusCode()).isEqualTo(500);
        assertThat(StandInHttp.json(error).path("url").asText()).isEqualTo("/attributes/restSearch");
        assertThat(html.statusCode()).isEqualTo(200);
        assertThat(html.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(html.body()).startsWith("<!DOCTYPE html>");
        assertThat(ids(normal)).containsExactly("1");
        assertThat(misp.pendingFaults()).isZero();
    }

    @Test
    void malformedJsonFaultCutsTheBodyOffMidAttribute() {
        misp.enqueue(MispFault.malformedJson());

        HttpResponse<String> response = search(Map.of());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> StandInHttp.json(response)).isInstanceOf(UncheckedIOException.class);
    }

    @Test
    void emptyPageFaultAnswersNoAttributesWhileTheCountSaysTheSqlPageWasFull() {
        misp.enqueue(MispFault.emptyPage());

        HttpResponse<String> response = search(Map.of("page", 1, "limit", 10));

        assertThat(response.headers().firstValue("X-Result-Count")).contains("11");
        assertThat(ids(response)).isEmpty();
    }

    @Test
    void delayFaultOutlastsAClientTimeoutAndEndsPromptlyWhenTheServerCloses() throws Exception {
        misp.enqueue(MispFault.delay(Duration.ofMinutes(5)));

        assertThatThrownBy(() -> http.postJson(misp.baseUrl() + MispStandIn.PATH, Map.of(), Map.of("Authorization", KEY),
                Duration.ofMillis(300)))
                .hasCauseInstanceOf(HttpTimeoutException.class);

        CompletableFuture<Void> closing = CompletableFuture.runAsync(misp::close);
        closing.get(5, TimeUnit.SECONDS);
        assertThat(misp.isClosed()).isTrue();
    }

    @Test
    void delayFaultThenAnswersNormally() {
        misp.enqueue(MispFault.delay(Duration.ofMillis(50)));
        assertThat(ids(search(Map.of("limit", 2, "order", ORDER)))).containsExactly("1", "2");
    }

    @Test
    void resetFaultDropsTheConnectionWithoutAResponse() {
        misp.enqueue(MispFault.reset());

        assertThatThrownBy(() -> search(Map.of())).isInstanceOf(UncheckedIOException.class)
                .hasCauseInstanceOf(IOException.class);
        assertThat(ids(search(Map.of("limit", 1, "order", ORDER)))).containsExactly("1");
    }

    @Test
    void streamsALargeSyntheticPageWithoutTrouble() {
        try (MispStandIn big = new MispStandIn(KEY, new SyntheticDataset(7, 1_000_000))) {
            HttpResponse<String> page = http.postJson(big.baseUrl() + MispStandIn.PATH,
                    Map.of("page", 100, "limit", 5_000, "returnFormat", "json", "order", ORDER), Map.of("Authorization", KEY));

            assertThat(page.headers().firstValue("X-Result-Count")).contains("5001");
            JsonNode attributes = StandInHttp.json(page).path("response").path("Attribute");
            assertThat(attributes.size()).isEqualTo(5_000);
            assertThat(attributes.get(0).path("id").asText()).isEqualTo("495001");
            assertThat(attributes.get(4_999).path("id").asText()).isEqualTo("500000");
        }
    }

    /**
     * MISP's ServersController::getVersion (ACL: any user with API access, perm_auth): the release as
     * {@code version}, with the rights of the key's role; the key is checked first as for any call.
     */
    @Test
    void givesItsVersionToAnyApiKeyAndRefusesAWrongOne() {
        HttpResponse<String> version = http.get(misp.baseUrl() + "/servers/getVersion", Map.of("Authorization", KEY));
        HttpResponse<String> refused = http.get(misp.baseUrl() + "/servers/getVersion", Map.of("Authorization", "nope"));

        assertThat(version.statusCode()).isEqualTo(200);
        assertThat(StandInHttp.json(version).path("version").asText()).isEqualTo(MispStandIn.VERSION);
        assertThat(StandInHttp.json(version).path("perm_sync").asBoolean(true)).isFalse();
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(StandInHttp.json(refused).path("url").asText()).isEqualTo("/servers/getVersion");
    }

    /**
     * MISP's count return format (MispAttribute::$validFormats "count" to CountExport; AppController::restSearch
     * answers it as txt): one number, the attributes that reach the export, so after the warninglist, and
     * all of them when no limit is given (__iteratedFetch fetches in chunks). A non-restrictive export: MISP
     * adds no to_ids or published filter of its own, what the body asks is what is counted.
     */
    @Test
    void countsTheMatchesAsOneNumberAfterTheWarninglistWithoutFiltersOfItsOwn() {
        dataset.addToWarninglist("198.51.100.2");

        HttpResponse<String> detections = search(Map.of("returnFormat", "count", "to_ids", true, "enforceWarninglist", true));
        HttpResponse<String> all = search(Map.of("returnFormat", "count"));
        HttpResponse<String> asJson = search(Map.of("returnFormat", "json", "limit", 100, "to_ids", true, "enforceWarninglist", true));

        assertThat(detections.statusCode()).isEqualTo(200);
        assertThat(detections.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(detections.body()).isEqualTo("19").isEqualTo(Integer.toString(ids(asJson).size()));
        assertThat(detections.headers().firstValue("X-Skipped-Elements-Count")).contains("1");
        assertThat(all.body()).isEqualTo("25");
    }
}
