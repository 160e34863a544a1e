package org.mispsentinel.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.delivery.CycleReport;
import org.mispsentinel.standin.InMemoryMispDataset;
import org.mispsentinel.standin.MispAttributes;
import org.mispsentinel.standin.MispFault;

/** Attributes that belong to MISP objects, through the real routes, with /objects/view on the MISP stand-in. */
class MispObjectDeliveryTest {

    private static final String OBJECT_UUID = "0b3ce6aa-7d13-4598-89df-292867dc711b";
    private static final String MD5_UUID = "2e42e17e-129e-4a50-8b85-e25017e4a200";
    private static final String SHA1_UUID = "51613051-81c4-4d8f-b654-9128d8855103";
    private static final String SHA256_UUID = "b9f6c4b6-1431-4e3d-915a-2dc447d81df0";
    private static final String DOMAIN_UUID = "affa0461-629a-4426-bb76-4fa931bae09d";
    private static final String MD5 = "8764605c6f388c89096b534d33565802";
    private static final String SHA1 = "46aba99aa7158e4609aaa72b50990842fd22ae86";
    private static final String SHA256 = "ec5aedf5ecc6bdadd4120932170d1b10f6cfa175cfda22951dfd882928ab279b";
    private static final String OTHER_SHA256 = "0000000000000000000000000000000000000000000000000000000000000001";

    @TempDir
    Path temp;

    /** A file object: three detection hashes, and a name and size that are context only. */
    private static void addFileObject(InMemoryMispDataset dataset, String sha256, long time) {
        dataset.addObject(MispAttributes.object(7, OBJECT_UUID, "file", "file", time));
        dataset.add(MispAttributes.attribute("md5", MD5).id(1).uuid(MD5_UUID).inObject("7", "md5").toIds(true)
                .timestamp(time));
        dataset.add(MispAttributes.attribute("filename", "invoice.exe").id(2).inObject("7", "filename").timestamp(time));
        dataset.add(MispAttributes.attribute("sha1", SHA1).id(3).uuid(SHA1_UUID).inObject("7", "sha1").toIds(true)
                .timestamp(time));
        dataset.add(MispAttributes.attribute("size-in-bytes", "35").id(4).inObject("7", "size-in-bytes").timestamp(time));
        dataset.add(MispAttributes.attribute("sha256", sha256).id(5).uuid(SHA256_UUID).inObject("7", "sha256")
                .toIds(true).timestamp(time));
    }

    private static JsonNode objectIndicator(SyncHarness h) {
        return h.standIns.sentinel().acceptedObject("indicator--" + OBJECT_UUID).orElseThrow();
    }

    @Test
    void mispStixProfileSendsOneIndicatorPerObjectOnceAndCountsEveryAttributeOfItDelivered() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("stix.profile", "misp-stix").set("misp.page-size", "2");
            addFileObject(h.dataset, SHA256, Attributes.T0);

            CycleReport first = h.runCycle();

            assertThat(first.exitCode()).isZero();
            assertThat(h.standIns.sentinel().acceptedIds()).containsExactly("indicator--" + OBJECT_UUID);
            assertThat(objectIndicator(h).path("pattern").asText()).isEqualTo("[file:hashes.MD5 = '" + MD5
                    + "' AND file:hashes.'SHA-1' = '" + SHA1 + "' AND file:hashes.'SHA-256' = '" + SHA256 + "']");
            assertThat(objectIndicator(h).path("labels").toString()).contains("misp:name=\\\"file\\\"");
            assertThat(h.standIns.sentinel().uploadCount("indicator--" + OBJECT_UUID)).isEqualTo(1);
            assertThat(h.standIns.misp().objectSearchCount()).as("read in bulk, once").isEqualTo(1);
            assertThat(h.standIns.misp().objectRequestCount()).isZero();

            // the checkpoint is inclusive: the next cycle reads the object's attributes again and
            // finds all three detection attributes already delivered
            CycleReport second = h.runCycle();

            assertThat(second.duplicates()).isEqualTo(3);
            assertThat(h.standIns.sentinel().uploadCount("indicator--" + OBJECT_UUID)).isEqualTo(1);
        }
    }

    @Test
    void memberChangedInMispSendsTheObjectIndicatorAgainWithTheNewValue() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("stix.profile", "misp-stix");
            addFileObject(h.dataset, SHA256, Attributes.T0);
            h.runCycle();

            h.dataset.add(MispAttributes.attribute("sha256", OTHER_SHA256).id(5).uuid(SHA256_UUID)
                    .inObject("7", "sha256").toIds(true).timestamp(Attributes.T0 + 60));
            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isZero();
            assertThat(h.standIns.sentinel().uploadCount("indicator--" + OBJECT_UUID)).isEqualTo(2);
            assertThat(objectIndicator(h).path("pattern").asText()).contains(OTHER_SHA256).doesNotContain(SHA256);
            assertThat(objectIndicator(h).path("modified").asText()).isEqualTo("2023-11-14T22:14:20.000Z");
            assertThat(h.standIns.misp().objectSearchCount()).as("the stale copy is fetched again").isEqualTo(2);
        }
    }

    /**
     * MISP 2.5.1 leaves a soft-deleted member out of its object (objects/view and objects/restSearch;
     * the stand-in plays it), so no copy of the object ever holds it: the member's revocation must not
     * ask for the object again, alone or in bulk, each time its event is read.
     */
    @Test
    void aSoftDeletedMemberIsRevokedWithoutAnObjectRequestOfItsOwn() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            addFileObject(h.dataset, SHA256, Attributes.T0);
            h.runCycle();
            int searchesBefore = h.standIns.misp().objectSearchCount();

            h.dataset.softDelete(3);
            h.dataset.publish("1");
            CycleReport deletion = h.runCycle();
            // the copy held the member undeleted: it is stale, and read again once, in bulk
            int searchesAfterDeletion = h.standIns.misp().objectSearchCount();
            CycleReport next = h.runCycle();

            assertThat(deletion.exitCode()).isZero();
            assertThat(deletion.revoked()).isEqualTo(1);
            assertThat(h.standIns.sentinel().acceptedObject("indicator--" + SHA1_UUID).orElseThrow()
                    .path("revoked").asBoolean()).isTrue();
            assertThat(next.exitCode()).isZero();
            assertThat(h.standIns.misp().objectRequestCount()).as("/objects/view").isZero();
            assertThat(searchesAfterDeletion).isEqualTo(searchesBefore + 1);
            assertThat(h.standIns.misp().objectSearchCount()).as("/objects/restSearch").isEqualTo(searchesAfterDeletion);
        }
    }

    @Test
    void sentinelProfileNamesTheObjectAndRelationInEachAttributesIndicator() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            addFileObject(h.dataset, SHA256, Attributes.T0);

            h.runCycle();

            assertThat(h.standIns.sentinel().acceptedIds()).containsExactlyInAnyOrder(
                    "indicator--" + MD5_UUID, "indicator--" + SHA1_UUID, "indicator--" + SHA256_UUID);
            assertThat(h.standIns.sentinel().acceptedObject("indicator--" + SHA1_UUID).orElseThrow()
                    .path("name").asText()).isEqualTo("sha1: " + SHA1 + " (object file, relation sha1)");
            assertThat(h.standIns.misp().objectSearchCount()).isEqualTo(1);
            assertThat(h.standIns.misp().objectRequestCount()).isZero();
        }
    }

    @Test
    void objectThatCannotBeReadHoldsBackItsAttributesAndTheCheckpointUntilTheNextCycle() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("stix.profile", "misp-stix").set("misp.max-retries", "2");
            addFileObject(h.dataset, SHA256, Attributes.T0 + 1);
            h.dataset.add(MispAttributes.attribute("domain", "c2.example.org").id(10).uuid(DOMAIN_UUID).toIds(true)
                    .timestamp(Attributes.T0));
            // the bulk read and then the request for the object alone each fail after two retries
            h.standIns.misp().enqueueObjectFault(MispFault.serverError(), 6);

            CycleReport failed = h.runCycle();

            assertThat(failed.exitCode()).isEqualTo(1);
            assertThat(failed.checkpointAfter()).isEqualTo(failed.checkpointBefore());
            assertThat(failed.problems()).anySatisfy(p -> assertThat(p).contains("reading MISP object 7 failed: MISP answered HTTP 500"));
            assertThat(h.standIns.sentinel().acceptedIds()).as("what does not need the object still goes out")
                    .containsExactly("indicator--" + DOMAIN_UUID);
            assertThat(h.standIns.misp().objectSearchCount()).as("one request and two retries").isEqualTo(3);
            assertThat(h.standIns.misp().objectRequestCount()).as("one request and two retries, then no more")
                    .isEqualTo(3);

            CycleReport next = h.runCycle();

            assertThat(next.exitCode()).isZero();
            assertThat(h.standIns.sentinel().acceptedIds()).contains("indicator--" + OBJECT_UUID);
        }
    }

    @Test
    void attributeWhoseObjectMispNoLongerHasGoesOutOnItsOwn() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("stix.profile", "misp-stix");
            h.dataset.add(MispAttributes.attribute("md5", MD5).uuid(MD5_UUID).inObject("99", "md5").toIds(true)
                    .timestamp(Attributes.T0));

            CycleReport report = h.runCycle();

            assertThat(report.exitCode()).isZero();
            assertThat(h.standIns.sentinel().acceptedObject("indicator--" + MD5_UUID).orElseThrow()
                    .path("pattern").asText()).isEqualTo("[file:hashes.MD5 = '" + MD5 + "']");
        }
    }

    @Test
    void withObjectLookupOffMispIsNeverAskedForObjects() throws Exception {
        try (SyncHarness h = SyncHarness.start(temp)) {
            h.set("stix.profile", "misp-stix").set("misp.object-lookup", "false");
            addFileObject(h.dataset, SHA256, Attributes.T0);

            h.runCycle();

            assertThat(h.standIns.misp().objectRequestCount()).isZero();
            assertThat(h.standIns.misp().objectSearchCount()).isZero();
            assertThat(h.standIns.sentinel().acceptedIds()).containsExactlyInAnyOrder(
                    "indicator--" + MD5_UUID, "indicator--" + SHA1_UUID, "indicator--" + SHA256_UUID);
        }
    }
}
