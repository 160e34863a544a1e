package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.delivery.CycleReport;
import org.mispsentinel.standin.InMemoryMispDataset;
import org.mispsentinel.standin.MispAttributes;
import org.mispsentinel.standin.MispFault;

/**
 * MISP misbehaving while it is paged through: each scenario checks what Sentinel received, the cycle
 * report, the checkpoint, and that the next cycle delivers whatever was left. The harness pages by 40,
 * so {@code Attributes.addMix(dataset, 120)} makes three pages of 30 detection attributes each.
 */
class MispFaultTest {

    private static final int PAGE = 40;

    @TempDir
    Path temp;

    /** Indicator ids of the to_ids attributes {@code Attributes.addMix} makes at indexes [from, to). */
    private static List<String> mixIds(int from, int to) {
        List<String> ids = new ArrayList<>();
        for (int i = from; i < to; i++) {
            if (i % 4 != 3) {
                ids.add(Attributes.indicatorId(UUID.nameUUIDFromBytes(("attr-" + i).getBytes()).toString()));
            }
        }
        return ids;
    }

    private static void assertEachAcceptedOnce(SyncHarness h, List<String> ids) {
        assertThat(h.standIns.sentinel().acceptedIds()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(ids).allSatisfy(id -> assertThat(h.standIns.sentinel().uploadCount(id)).as(id).isEqualTo(1));
    }

    @Test
    void serverErrorsWithinTheRetryBudgetAreRetriedAndEverythingIsDelivered() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("misp.max-retries", "3");
            Attributes.addMix(h.dataset, 120);
            h.standIns.misp().enqueue(MispFault.delay(Duration.ZERO));
            h.standIns.misp().enqueue(MispFault.serverError(), 3);

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isZero();
            assertThat(report.problems()).isEmpty();
            // every page once, and three repeats of the second
            assertThat(report.fetched()).isEqualTo(120);
            assertThat(report.delivered()).isEqualTo(90);
            assertThat(h.standIns.misp().requestCount()).isEqualTo(report.pages() + 3);
            assertThat(h.standIns.misp().requests().subList(1, 5)).containsOnly(h.standIns.misp().requests().get(1));
            h.assertCheckpointMovedToTheRead(report);
            assertEachAcceptedOnce(h, mixIds(0, 120));

            CycleReport next = h.runCycle();
            assertThat(next.exitCode()).isZero();
            assertThat(next.delivered()).isZero();
            assertEachAcceptedOnce(h, mixIds(0, 120));
        }
    }

    @Test
    void responseSlowerThanTheTimeoutIsAbandonedAndTheSamePageAskedForAgain() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("misp.timeout-seconds", "1");
            Attributes.addMix(h.dataset, 80);
            h.standIns.misp().enqueue(MispFault.delay(Duration.ZERO));
            // far longer than the timeout; the stand-in drops the waiting request when it closes
            h.standIns.misp().enqueue(MispFault.delay(Duration.ofMinutes(10)));

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isZero();
            assertThat(h.standIns.misp().requestCount()).isEqualTo(report.pages() + 1);
            assertThat(h.standIns.misp().requests().get(2)).isEqualTo(h.standIns.misp().requests().get(1));
            h.assertCheckpointMovedToTheRead(report);
            assertEachAcceptedOnce(h, mixIds(0, 80));
        }
    }

    @Test
    void malformedJsonPageWithinTheRetryBudgetIsReadAgainAndDelivered() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            Attributes.addMix(h.dataset, 80);
            h.standIns.misp().enqueue(MispFault.malformedJson());

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isZero();
            assertThat(report.fetched()).isEqualTo(80);
            h.assertCheckpointMovedToTheRead(report);
            assertEachAcceptedOnce(h, mixIds(0, 80));
        }
    }

    @Test
    void noIndicatorIsSentForAPageThatFailedToParseAndTheCheckpointDoesNotMovePastIt() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("misp.max-retries", "1");
            Attributes.addMix(h.dataset, 120);
            h.standIns.misp().enqueue(MispFault.delay(Duration.ZERO));
            h.standIns.misp().enqueue(MispFault.malformedJson(), 2);

            CycleReport during = h.runCycle();

            assertThat(during.exitCode()).isEqualTo(1);
            assertThat(during.pages()).isEqualTo(1);
            assertThat(during.fetched()).isEqualTo(PAGE);
            assertThat(during.problems()).singleElement().asString().contains("not valid JSON");
            assertThat(during.checkpointAfter()).isEmpty();
            // page 1 was complete and is delivered; nothing of page 2 (the cut page) or page 3
            assertEachAcceptedOnce(h, mixIds(0, PAGE));
            assertThat(h.standIns.sentinel().acceptedIds()).doesNotContainAnyElementsOf(mixIds(PAGE, 120));
            assertThat(h.standIns.misp().requestCount()).isEqualTo(3);

            CycleReport after = h.runCycle();

            assertThat(after.exitCode()).isZero();
            assertThat(after.duplicates()).isEqualTo(30);
            assertThat(after.delivered()).isEqualTo(60);
            h.assertCheckpointMovedToTheRead(after);
            assertEachAcceptedOnce(h, mixIds(0, 120));
        }
    }

    @Test
    void malformedFirstPageSendsNothingAtAll() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("misp.max-retries", "2");
            Attributes.addMix(h.dataset, 30);
            h.standIns.misp().enqueue(MispFault.malformedJson(), 3);

            CycleReport during = h.runCycle();

            assertThat(during.exitCode()).isEqualTo(1);
            assertThat(during.fetched()).isZero();
            assertThat(during.indicators()).isZero();
            assertThat(h.standIns.sentinel().requests()).isZero();
            assertThat(during.checkpointAfter()).isEmpty();

            CycleReport after = h.runCycle();
            assertThat(after.exitCode()).isZero();
            assertEachAcceptedOnce(h, mixIds(0, 30));
        }
    }

    @Test
    void htmlPageWithStatus200IsNotMistakenForAnEmptyResult() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("misp.max-retries", "1");
            Attributes.addMix(h.dataset, 80);
            h.standIns.misp().enqueue(MispFault.htmlPage(), 2);

            CycleReport during = h.runCycle();

            assertThat(during.exitCode()).isEqualTo(1);
            assertThat(during.problems()).singleElement().asString()
                    .contains("text/html").contains("instead of JSON");
            assertThat(during.fetched()).isZero();
            assertThat(h.standIns.sentinel().requests()).isZero();
            assertThat(during.checkpointAfter()).isEmpty();
            assertThat(h.standIns.misp().requestCount()).isEqualTo(2);

            CycleReport after = h.runCycle();

            assertThat(after.exitCode()).isZero();
            h.assertCheckpointMovedToTheRead(after);
            assertEachAcceptedOnce(h, mixIds(0, 80));
        }
    }

    @Test
    void htmlPageMidPagingWithinTheRetryBudgetIsReadAgain() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            Attributes.addMix(h.dataset, 80);
            h.standIns.misp().enqueue(MispFault.delay(Duration.ZERO));
            h.standIns.misp().enqueue(MispFault.htmlPage());

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isZero();
            h.assertCheckpointMovedToTheRead(report);
            assertEachAcceptedOnce(h, mixIds(0, 80));
        }
    }

    /**
     * MISP's allowedlist removes rows after paging without counting them in X-Skipped-Elements-Count
     * (MispAttribute::__iteratedFetch), so a page can come back empty while X-Result-Count says it was
     * full: reading goes on past it instead of taking it for the end.
     */
    @Test
    void emptyPageThatMispSaysWasFullDoesNotEndTheRead() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            Attributes.addMix(h.dataset, 120);
            h.standIns.misp().enqueue(MispFault.delay(Duration.ZERO));
            h.standIns.misp().enqueue(MispFault.emptyPage());

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isZero();
            assertThat(report.problems()).isEmpty();
            // the rows of the emptied page are those MISP withheld; everything after it arrives
            assertThat(h.standIns.sentinel().acceptedIds()).containsAll(mixIds(0, PAGE)).containsAll(mixIds(2 * PAGE, 120));
            h.assertCheckpointMovedToTheRead(report);
        }
    }

    @Test
    void attributesAddedWhilePagingAreDeliveredInTheSameCycle() throws Exception {
        // The additions publish their event at MISP's clock. The window closes at the Date of the first
        // answer, so a publication in a later second belongs to the next cycle (the tests below take two
        // cycles for that); MISP stamping a minute behind its Date header keeps this one in the window
        // however slowly page 2 is asked for.
        InMemoryMispDataset data = new InMemoryMispDataset(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-1)));
        LiveDataset mutating = new LiveDataset(data, 2, d -> {
            for (int i = 0; i < 5; i++) {
                d.add(MispAttributes.attribute("domain", "late" + i + ".example.org").uuid(lateUuid(i))
                        .toIds(true).timestamp(Attributes.T0 + 200 + i));
            }
        });
        try (SyncHarness h = SyncHarness.start(temp, b -> b.dataset(mutating))) {
            addMix(data, 120);
            List<String> all = new ArrayList<>(mixIds(0, 120));
            for (int i = 0; i < 5; i++) {
                all.add(Attributes.indicatorId(lateUuid(i)));
            }

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isZero();
            assertThat(report.problems()).isEmpty();
            h.assertCheckpointMovedToTheRead(report);
            assertEachAcceptedOnce(h, all);
        }
    }

    @Test
    void attributeRemovedWhilePagingShiftsNoAttributeOntoAPageAlreadyRead() throws Exception {
        InMemoryMispDataset data = new InMemoryMispDataset();
        // an attribute of page 1 goes away while page 2 is asked for: by offset, everything after it
        // would move up one place and the first attribute of page 2 land on page 1, already read
        LiveDataset mutating = new LiveDataset(data, 2, d -> d.remove(1));
        try (SyncHarness h = SyncHarness.start(temp, b -> b.dataset(mutating))) {
            addMix(data, 80);

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isZero();
            h.assertCheckpointMovedToTheRead(report);
            // attribute 0 was delivered from page 1 before it went away
            assertEachAcceptedOnce(h, mixIds(0, 80));
        }
    }

    @Test
    void attributeSoftDeletedAndAnotherAddedWhilePagingLosesNothing() throws Exception {
        // MISP's delete sets deleted=true and a new timestamp; the attribute keeps its place
        assertNothingLostWhenPage2Sees(d -> {
            ObjectNode deleted = d.get(1).orElseThrow();
            deleted.put("deleted", true);
            deleted.put("timestamp", Long.toString(Attributes.T0 + 150));
            d.add(deleted);
        }, true);
    }

    @Test
    void attributeDeletedAndAnotherAddedWhilePagingLosesNothing() throws Exception {
        assertNothingLostWhenPage2Sees(d -> d.remove(1), false);
    }

    /**
     * {@code delete} (of attribute 0, delivered from page 1) and one added attribute happen as page 2
     * is asked for; a soft delete is then {@code revoked} in Sentinel by the next cycle.
     */
    private void assertNothingLostWhenPage2Sees(Consumer<InMemoryMispDataset> delete, boolean revoked)
            throws Exception {
        InMemoryMispDataset data = new InMemoryMispDataset();
        LiveDataset mutating = new LiveDataset(data, 2, d -> {
            delete.accept(d);
            d.add(MispAttributes.attribute("domain", "late0.example.org").uuid(lateUuid(0)).toIds(true)
                    .timestamp(Attributes.T0 + 200));
        });
        try (SyncHarness h = SyncHarness.start(temp, b -> b.dataset(mutating))) {
            addMix(data, 80);
            List<String> all = new ArrayList<>(mixIds(0, 80));
            all.add(Attributes.indicatorId(lateUuid(0)));

            h.runCycle();
            CycleReport after = h.runCycle();

            assertThat(after.exitCode()).isZero();
            String deleted = all.get(0);
            assertThat(h.standIns.sentinel().acceptedIds()).containsExactlyInAnyOrderElementsOf(all);
            assertThat(all).filteredOn(id -> !id.equals(deleted))
                    .allSatisfy(id -> assertThat(h.standIns.sentinel().uploadCount(id)).as(id).isEqualTo(1));
            assertThat(h.standIns.sentinel().acceptedObject(deleted).orElseThrow().path("revoked").asBoolean())
                    .isEqualTo(revoked);
        }
    }

    @Test
    void connectionResetWithinTheRetryBudgetIsRetriedAndEverythingIsDelivered() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            Attributes.addMix(h.dataset, 80);
            h.standIns.misp().enqueue(MispFault.delay(Duration.ZERO));
            h.standIns.misp().enqueue(MispFault.reset(), 2);

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isZero();
            assertThat(h.standIns.misp().requestCount()).isEqualTo(report.pages() + 2);
            h.assertCheckpointMovedToTheRead(report);
            assertEachAcceptedOnce(h, mixIds(0, 80));
        }
    }

    @Test
    void connectionResetBeyondTheRetryBudgetFailsTheCycleAndTheNextCycleDeliversTheRest() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("misp.max-retries", "1");
            Attributes.addMix(h.dataset, 80);
            h.standIns.misp().enqueue(MispFault.delay(Duration.ZERO));
            h.standIns.misp().enqueue(MispFault.reset(), 2);

            CycleReport during = h.runCycle();

            assertThat(during.exitCode()).isEqualTo(1);
            assertThat(during.problems()).singleElement().asString().isNotBlank();
            assertThat(during.checkpointAfter()).isEmpty();
            assertEachAcceptedOnce(h, mixIds(0, PAGE));

            CycleReport after = h.runCycle();

            assertThat(after.exitCode()).isZero();
            h.assertCheckpointMovedToTheRead(after);
            assertEachAcceptedOnce(h, mixIds(0, 80));
        }
    }

    private static String lateUuid(int i) {
        return UUID.nameUUIDFromBytes(("late-" + i).getBytes()).toString();
    }

    /** The same attributes as {@code Attributes.addMix}, into any in-memory dataset. */
    private static void addMix(InMemoryMispDataset data, int count) {
        Attributes.addMix(data, count);
    }
}
