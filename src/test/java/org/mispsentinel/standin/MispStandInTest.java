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

    @Test
    void listensOnLoopbackAndNamesLocalhostInItsBaseUrl() {
        assertThat(misp.baseUrl()).isEqualTo("https://localhost:" + misp.port());
        assertThat(misp.port()).isPositive();
    }

    @Test
    void servesPagesInIdOrderWithTheTotalInXResultCount() {
        HttpResponse<String> first = search(Map.of("returnFormat", "json", "page", 1, "limit", 10));
        HttpResponse<String> third = search(Map.of("returnFormat", "json", "page", 3, "limit", 10));
        HttpResponse<String> beyond = search(Map.of("returnFormat", "json", "page", 4, "limit", 10));

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("X-Result-Count")).contains("25");
        assertThat(ids(first)).containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
        assertThat(ids(third)).containsExactly("21", "22", "23", "24", "25");
        assertThat(ids(beyond)).isEmpty();
        assertThat(beyond.headers().firstValue("X-Result-Count")).contains("25");
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
        assertThat(ids(search(Map.of("timestamp", "1700000020")))).containsExactly("20", "21", "22", "23", "24", "25");
        assertThat(ids(search(Map.of("timestamp", List.of(1_700_000_003L, "1700000005"))))).containsExactly("3", "4", "5");
    }

    @Test
    void filtersByToIds() {
        HttpResponse<String> response = search(Map.of("to_ids", 1, "timestamp", 1_700_000_001L));
        assertThat(response.headers().firstValue("X-Result-Count")).contains("20");
        assertThat(ids(response)).doesNotContain("5", "10", "15", "20", "25");
        assertThat(ids(search(Map.of("to_ids", false)))).containsExactly("5", "10", "15", "20", "25");
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
        HttpResponse<String> first = search(Map.of("page", 1, "limit", 20));
        dataset.add(MispAttributes.attribute("domain", "new.example.com").timestamp(1_700_000_500L));
        HttpResponse<String> second = search(Map.of("page", 2, "limit", 20));

        assertThat(first.headers().firstValue("X-Result-Count")).contains("25");
        assertThat(second.headers().firstValue("X-Result-Count")).contains("26");
        assertThat(ids(second)).containsExactly("21", "22", "23", "24", "25", "26");
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
        HttpResponse<String> normal = search(Map.of("limit", 1));

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
    void emptyPageFaultAnswersNoAttributesWhileTheCountStillSaysMore() {
        misp.enqueue(MispFault.emptyPage());

        HttpResponse<String> response = search(Map.of("page", 1, "limit", 10));

        assertThat(response.headers().firstValue("X-Result-Count")).contains("25");
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
        assertThat(ids(search(Map.of("limit", 2)))).containsExactly("1", "2");
    }

    @Test
    void resetFaultDropsTheConnectionWithoutAResponse() {
        misp.enqueue(MispFault.reset());

        assertThatThrownBy(() -> search(Map.of())).isInstanceOf(UncheckedIOException.class)
                .hasCauseInstanceOf(IOException.class);
        assertThat(ids(search(Map.of("limit", 1)))).containsExactly("1");
    }

    @Test
    void streamsALargeSyntheticPageWithoutTrouble() {
        try (MispStandIn big = new MispStandIn(KEY, new SyntheticDataset(7, 1_000_000))) {
            HttpResponse<String> page = http.postJson(big.baseUrl() + MispStandIn.PATH,
                    Map.of("page", 100, "limit", 5_000, "returnFormat", "json"), Map.of("Authorization", KEY));

            assertThat(page.headers().firstValue("X-Result-Count")).contains("1000000");
            JsonNode attributes = StandInHttp.json(page).path("response").path("Attribute");
            assertThat(attributes.size()).isEqualTo(5_000);
            assertThat(attributes.get(0).path("id").asText()).isEqualTo("495001");
            assertThat(attributes.get(4_999).path("id").asText()).isEqualTo("500000");
        }
    }
}
