package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mispsentinel.delivery.CycleReport;
import org.mispsentinel.standin.AdjustableClock;
import org.mispsentinel.standin.InMemoryMispDataset;
import org.mispsentinel.standin.MispAttributes;
import org.mispsentinel.standin.MispFault;

/**
 * How the real routes read a MISP that behaves as MISP does (see MispStandInTest for the facts):
 * events published after the checkpoint passed their attributes, pages shortened in the middle,
 * rows moving while a cycle pages, a steady stream of new attributes, and changes of an event that
 * leave its attributes' timestamps alone. The harness pages by 40.
 */
class MispReadingTest {

    @TempDir
    Path temp;

    private static String uuid(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes()).toString();
    }

    /** {@code count} detection attributes of one event, with old timestamps, as an import brings them. */
    private static List<MispAttributes.Builder> event(String eventId, int count) {
        List<MispAttributes.Builder> attributes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            attributes.add(MispAttributes.attribute("domain", "e" + eventId + "-" + i + ".example.org")
                    .uuid(uuid(eventId + "/" + i)).toIds(true).event(eventId, "Event " + eventId)
                    .timestamp(Attributes.T0 + i));
        }
        return attributes;
    }

    private static List<String> ids(String eventId, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(Attributes.indicatorId(uuid(eventId + "/" + i)));
        }
        return ids;
    }

    private static void assertEachAcceptedOnce(SyncHarness h, List<String> ids) {
        assertThat(h.standIns.sentinel().acceptedIds()).containsAll(ids);
        assertThat(ids).allSatisfy(id -> assertThat(h.standIns.sentinel().uploadCount(id)).as(id).isEqualTo(1));
    }

    @ParameterizedTest(name = "published-only={0}")
    @ValueSource(booleans = {true, false})
    void eventImportedAndPublishedAfterTheCheckpointPassedItsAttributesReachesSentinelOnce(boolean publishedOnly)
            throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("misp.published-only", Boolean.toString(publishedOnly));
            h.dataset.importEvent(true, event("1", 30));
            h.runCycle();

            // attributes stamped years before the checkpoint, published now
            h.dataset.importEvent(true, event("2", 60));
            CycleReport second = h.runCycle();

            assertThat(second.exitCode()).isZero();
            assertThat(second.delivered()).isEqualTo(60);
            assertEachAcceptedOnce(h, ids("2", 60));
            assertEachAcceptedOnce(h, ids("1", 30));
            h.assertCheckpointMovedToTheRead(second);
        }
    }

    @Test
    void eventCreatedReviewedAndThenPublishedIsDeliveredWhenItIsPublished() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.runCycle();
            for (MispAttributes.Builder attribute : event("5", 10)) {
                h.dataset.addToEvent(attribute);
            }

            CycleReport draft = h.runCycle();
            h.dataset.publish("5");
            CycleReport published = h.runCycle();

            assertThat(draft.delivered()).as("unpublished: not yet").isZero();
            assertThat(published.delivered()).isEqualTo(10);
            assertEachAcceptedOnce(h, ids("5", 10));
        }
    }

    @Test
    void eventRepublishedWithoutAChangeSendsNothingAgain() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.dataset.importEvent(true, event("1", 50));
            h.runCycle();
            int uploads = h.standIns.sentinel().requests();

            h.dataset.publish("1");
            CycleReport again = h.runCycle();

            assertThat(again.fetched()).as("the event is read again").isEqualTo(50);
            assertThat(again.duplicates()).isEqualTo(50);
            assertThat(h.standIns.sentinel().requests()).isEqualTo(uploads);
        }
    }

    @Test
    void eventTagOrTitleChangedAndRepublishedIsSentAgainWithIt() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.dataset.importEvent(true, event("1", 5));
            h.dataset.importEvent(true, event("2", 5));
            h.runCycle();

            h.dataset.tagEvent("1", "tlp:red");
            h.dataset.renameEvent("2", "Event 2, renamed");
            h.dataset.publish("1");
            h.dataset.publish("2");
            CycleReport changed = h.runCycle();

            assertThat(changed.delivered()).isEqualTo(10);
            assertThat(ids("1", 5)).allSatisfy(id -> {
                assertThat(h.standIns.sentinel().uploadCount(id)).isEqualTo(2);
                assertThat(h.standIns.sentinel().acceptedObject(id).orElseThrow().path("object_marking_refs").toString())
                        .contains("marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed");
            });
            assertThat(ids("2", 5)).allSatisfy(id -> assertThat(h.standIns.sentinel().uploadCount(id)).isEqualTo(2));
        }
    }

    @Test
    void changedMappingSettingSendsEverythingAgainAsItIsMappedNow() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.dataset.importEvent(true, event("1", 5));
            h.runCycle();
            h.stopApplication();

            h.set("stix.default-tlp", "amber");
            CycleReport after = h.runCycle();

            assertThat(after.delivered()).isEqualTo(5);
            assertThat(ids("1", 5)).allSatisfy(id -> assertThat(h.standIns.sentinel().acceptedObject(id).orElseThrow()
                    .path("object_marking_refs").toString()).contains("marking-definition--f88d31f6"));
        }
    }

    @Test
    void pagesThatWarninglistsShortenInTheMiddleDoNotEndTheRead() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("misp.enforce-warninglist", "true");
            h.dataset.importEvent(true, event("1", 120));
            for (int i = 0; i < 12; i++) {
                h.dataset.addToWarninglist("e1-" + i + ".example.org");
            }

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isZero();
            assertThat(report.delivered()).isEqualTo(108);
            assertEachAcceptedOnce(h, ids("1", 120).subList(12, 120));
            assertThat(h.standIns.sentinel().acceptedIds()).doesNotContainAnyElementsOf(ids("1", 12));
        }
    }

    @Test
    void eventUnpublishedInTheMiddleOfAReadHidesNoAttributeOfAnotherEvent() throws Exception {
        InMemoryMispDataset data = new InMemoryMispDataset();
        // event 1 holds the first 40 attributes, already read when it is unpublished
        LiveDataset mutating = new LiveDataset(data, 2, d -> d.unpublish("1"));
        try (SyncHarness h = SyncHarness.start(temp, b -> b.dataset(mutating))) {
            data.importEvent(true, event("1", 40));
            List<MispAttributes.Builder> later = event("2", 80).stream().map(b -> b.timestamp(Attributes.T0 + 1000)).toList();
            data.importEvent(true, later);

            CycleReport report = h.runCycle();
            data.publish("1");
            CycleReport republished = h.runCycle();

            assertThat(report.exitCode()).isZero();
            assertEachAcceptedOnce(h, ids("2", 80));
            assertEachAcceptedOnce(h, ids("1", 40));
            assertThat(republished.delivered()).isZero();
        }
    }

    @Test
    void manyAttributesSharingOneSecondArePagedThroughAndCheckedEvenWhenOneLeavesMeanwhile() throws Exception {
        InMemoryMispDataset data = new InMemoryMispDataset();
        // 100 attributes of one second, more than a page: paged by offset. One of the first page
        // leaves while the next page by offset is asked for, which moves the first attribute of
        // that page onto the one already read; the re-read of the second finds it.
        LiveDataset mutating = new LiveDataset(data, 3, d -> d.remove(2));
        try (SyncHarness h = SyncHarness.start(temp, b -> b.dataset(mutating))) {
            data.importEvent(true, event("1", 100).stream().map(b -> b.timestamp(Attributes.T0)).toList());

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isZero();
            assertThat(ids("1", 100)).allSatisfy(id -> assertThat(h.standIns.sentinel().acceptedIds()).contains(id));
        }
    }

    @Test
    void steadyStreamOfNewAttributesStillLetsEveryCycleCompleteAndMoveTheCheckpoint() throws Exception {
        InMemoryMispDataset data = new InMemoryMispDataset();
        AtomicInteger added = new AtomicInteger();
        // every request to MISP brings a new published attribute
        LiveDataset mutating = new LiveDataset(data, 0, d -> {
            int n = added.getAndIncrement();
            d.add(MispAttributes.attribute("domain", "stream" + n + ".example.org").uuid(uuid("stream/" + n)).toIds(true)
                    .event("9", "Stream").timestamp(Attributes.T0 + 5000 + n));
        });
        try (SyncHarness h = SyncHarness.start(temp, b -> b.dataset(mutating))) {
            data.importEvent(true, event("1", 100));
            List<Long> checkpoints = new ArrayList<>();

            for (int cycle = 0; cycle < 3; cycle++) {
                CycleReport report = h.runCycle();
                assertThat(report.exitCode()).isZero();
                assertThat(report.problems()).isEmpty();
                h.assertCheckpointMovedToTheRead(report);
                checkpoints.add(report.checkpointAfter().getAsLong());
            }
            mutating.pause();
            h.runCycle();

            assertThat(checkpoints).isSorted();
            List<String> all = new ArrayList<>(ids("1", 100));
            for (int n = 0; n < added.get(); n++) {
                all.add(Attributes.indicatorId(uuid("stream/" + n)));
            }
            assertEachAcceptedOnce(h, all);
        }
    }

    @Test
    void objectsOfAnObjectHeavyMispCostRequestsPerPageNotPerObject() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            List<MispAttributes.Builder> attributes = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                String eventId = Integer.toString(1 + i / 40);
                ObjectNode object = MispAttributes.object(1000 + i, uuid("object/" + i), "domain-ip", "network", Attributes.T0);
                object.put("event_id", eventId);
                h.dataset.addObject(object);
                attributes.add(MispAttributes.attribute("domain", "o" + i + ".example.org").uuid(uuid("in-object/" + i))
                        .toIds(true).event(eventId, "Objects").inObject(Integer.toString(1000 + i), "domain")
                        .timestamp(Attributes.T0 + i));
            }
            h.dataset.importEvent(true, attributes);

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isZero();
            assertThat(report.delivered()).isEqualTo(120);
            assertThat(h.standIns.misp().objectRequestCount()).as("no object asked for alone").isZero();
            assertThat((long) h.standIns.misp().objectSearchCount()).isLessThanOrEqualTo(report.pages());
            assertThat(h.standIns.sentinel().acceptedObject(Attributes.indicatorId(uuid("in-object/7"))).orElseThrow()
                    .path("name").asText()).contains("object domain-ip");
        }
    }

    @Test
    void firstRunThatFailsIsTriedAgainOnTheSameWindow() throws Exception {
        AdjustableClock clock = AdjustableClock.startingNow();
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("misp.lookback-days", "7").set("misp.max-retries", "0").clock(clock);
            h.standIns.misp().enqueue(MispFault.serverError());
            CycleReport failed = h.runCycle();
            long firstBound = lowerBound(h);
            h.stopApplication();

            clock.advance(Duration.ofDays(1));
            CycleReport retried = h.runCycle();

            assertThat(failed.exitCode()).isEqualTo(1);
            assertThat(retried.exitCode()).isZero();
            assertThat(lowerBound(h)).as("not a window slid forward by the day that passed").isEqualTo(firstBound);
            assertThat(firstBound).isCloseTo(clock.instant().minus(Duration.ofDays(8)).getEpochSecond(), within(5L));
        }
    }

    private static long lowerBound(SyncHarness h) {
        JsonNode window = h.standIns.misp().lastRequest().path("publish_timestamp");
        return window.isArray() ? window.path(0).asLong() : window.asLong();
    }

    @Test
    void tagAndTypeSettingsSelectWhatMispIsAskedFor() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("misp.tags-include", "tlp:green").set("misp.types-exclude", "md5");
            h.dataset.importEvent(true, event("1", 3));
            h.dataset.add(MispAttributes.attribute("md5", "8764605c6f388c89096b534d33565802").uuid(uuid("md5")).toIds(true)
                    .event("1", "Event 1").timestamp(Attributes.T0));
            h.dataset.importEvent(true, event("2", 3));
            h.dataset.tagEvent("1", "tlp:green");
            h.dataset.publish("1");

            h.runCycle();

            assertThat(h.standIns.sentinel().acceptedIds()).containsExactlyInAnyOrderElementsOf(ids("1", 3));
        }
    }

    @Test
    void creatorOrganisationComesThroughFromARealAnswer() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("sentinel.api", "stix-objects");
            h.dataset.add(MispAttributes.attribute("domain", "org.example.org").uuid(uuid("org")).toIds(true)
                    .orgc("CIRCL", "55f6ea5e-2c60-40e5-964f-47a8950d210f").timestamp(Attributes.T0));

            h.runCycle();

            ObjectNode indicator = (ObjectNode) h.standIns.sentinel().acceptedObject(Attributes.indicatorId(uuid("org")))
                    .orElseThrow();
            assertThat(indicator.path("created_by_ref").asText())
                    .isEqualTo("identity--55f6ea5e-2c60-40e5-964f-47a8950d210f");
            assertThat(h.standIns.misp().lastRequest().path("includeContext").asBoolean()).isTrue();
        }
    }
}
