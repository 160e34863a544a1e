package org.mispsentinel.misp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reading /objects/view answers, and when an object has to be asked for at all. */
class ObjectLookupTest {

    private static final String VIEW = """
            {"Object": {"id": "7", "name": "file", "meta-category": "file", "uuid": "0b3ce6aa-7d13-4598-89df-292867dc711b",
              "timestamp": "1700000060", "comment": "dropper", "deleted": false,
              "Event": {"id": "1", "info": "x", "org_id": "1", "orgc_id": "1"},
              "Attribute": [
                {"id": "1", "event_id": "1", "object_id": "7", "object_relation": "md5", "category": "Payload delivery",
                 "type": "md5", "value": "8764605c6f388c89096b534d33565802", "to_ids": true,
                 "uuid": "2e42e17e-129e-4a50-8b85-e25017e4a200", "timestamp": "1700000060", "deleted": false,
                 "AttributeTag": [{"attribute_id": "1", "Tag": {"id": "3", "name": "tlp:amber"}}]},
                {"id": "2", "type": "md5", "uuid": "broken"}
              ]}}
            """;

    private static Optional<MispObject> read(int status, String contentType, String body) {
        return new MispObjectReader().read(status, contentType,
                new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static MispAttribute member(String objectId, long timestamp) {
        return new MispAttribute("2e42e17e-129e-4a50-8b85-e25017e4a200", "md5", "Payload delivery",
                "8764605c6f388c89096b534d33565802", true, false, timestamp, null, null, null, "1", null, null, null, null,
                objectId, null, "md5", List.of());
    }

    @Test
    void objectViewGivesTheNameAndTheReadableMembersWithTheirOwnTags() {
        MispObject object = read(200, "application/json", VIEW).orElseThrow();

        assertThat(object.name()).isEqualTo("file");
        assertThat(object.uuid()).isEqualTo("0b3ce6aa-7d13-4598-89df-292867dc711b");
        assertThat(object.timestamp()).isEqualTo(1_700_000_060L);
        assertThat(object.attributes()).singleElement().satisfies(m -> {
            assertThat(m.objectRelation()).isEqualTo("md5");
            assertThat(m.tags()).containsExactly(new MispTag("tlp:amber", false));
        });
    }

    @Test
    void anObjectMispDoesNotHaveIsAnEmptyAnswerNotAFailure() {
        assertThat(read(404, "application/json", "{\"name\": \"Invalid object.\", \"message\": \"Invalid object.\"}"))
                .isEmpty();
    }

    @Test
    void refusedKeyIsNotRetriedAndServerErrorsOrLoginPagesAre() {
        assertThatThrownBy(() -> read(403, "application/json", "{\"message\": \"Authentication failed.\"}"))
                .isInstanceOfSatisfying(MispException.class, e -> assertThat(e.retryable()).isFalse());
        assertThatThrownBy(() -> read(503, "text/plain", "busy"))
                .isInstanceOfSatisfying(MispException.class, e -> assertThat(e.retryable()).isTrue());
        assertThatThrownBy(() -> read(200, "text/html", "<html>login</html>"))
                .isInstanceOfSatisfying(MispException.class, e -> assertThat(e.retryable()).isTrue());
        assertThatThrownBy(() -> read(200, "application/json", "{\"response\": []}"))
                .isInstanceOf(MispException.class).hasMessageContaining("holds no Object");
    }

    @Test
    void anObjectIsAskedForOnceAndAgainOnlyWhenAMemberChangedSinceTheCopy() {
        ObjectLookup lookup = new ObjectLookup(true, 1000);
        MispObject copy = read(200, "application/json", VIEW).orElseThrow();
        MispAttribute current = member("7", 1_700_000_060L);

        assertThat(lookup.needsLookup(current)).isTrue();
        assertThat(lookup.attach(current, Optional.of(copy)).objectName()).isEqualTo("file");
        assertThat(lookup.fromCache(current).object()).isSameAs(copy);
        assertThat(lookup.needsLookup(lookup.fromCache(current))).isFalse();

        MispAttribute changedLater = member("7", 1_700_000_120L);
        assertThat(lookup.fromCache(changedLater).object()).isNull();
        assertThat(lookup.needsLookup(changedLater)).isTrue();
    }

    /** MISP 2.5.1 leaves a soft-deleted member out of its object's copy, so no copy ever holds it. */
    @Test
    void aSoftDeletedMemberIsServedByACopyOfItsObjectWithoutAskingForItAgain() {
        ObjectLookup lookup = new ObjectLookup(true, 1000);
        MispObject copy = read(200, "application/json", VIEW).orElseThrow();
        MispAttribute sibling = member("7", 1_700_000_060L);
        lookup.attach(sibling, Optional.of(copy));
        MispAttribute deleted = new MispAttribute("6f0c1d8e-3b6a-4f57-9c1e-2a7b5d9e4c31", "sha1", "Payload delivery",
                "2920d5e6c579fce772e5506caf03af65579088bd", true, true, 1_700_000_500L, null, null, null, "1", null, null,
                null, null, "7", null, "sha1", List.of());

        MispAttribute served = lookup.fromCache(deleted);

        assertThat(served.objectName()).isEqualTo("file");
        assertThat(lookup.needsLookup(served)).isFalse();
        assertThat(lookup.needsLookup(lookup.fromCache(deleted))).as("nor on the next read").isFalse();
    }

    @Test
    void anObjectMispDoesNotHaveIsNotAskedForAgain() {
        ObjectLookup lookup = new ObjectLookup(true, 1000);
        MispAttribute attribute = member("99", 1_700_000_060L);

        assertThat(lookup.attach(attribute, Optional.empty())).isSameAs(attribute);

        assertThat(lookup.needsLookup(attribute)).isFalse();
    }

    @Test
    void onlyPlainNumericObjectIdsAreEverPutIntoARequest() {
        ObjectLookup lookup = new ObjectLookup(true, 1000);

        assertThat(lookup.needsLookup(member("0", 1))).isFalse();
        assertThat(lookup.needsLookup(member("../../users/view/1", 1))).isFalse();
        assertThat(lookup.needsLookup(member("7?x=1", 1))).isFalse();
        assertThat(new ObjectLookup(false, 1000).needsLookup(member("7", 1))).as("lookup off").isFalse();
    }
}
