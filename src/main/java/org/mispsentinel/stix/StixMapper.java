package org.mispsentinel.stix;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.mispsentinel.misp.MispAttribute;
import org.mispsentinel.misp.MispObject;
import org.mispsentinel.misp.MispTag;
import org.mispsentinel.stix.StixIndicator.ExternalReference;
import org.mispsentinel.stix.StixIndicator.KillChainPhase;

/**
 * Maps one MISP attribute to STIX 2.1 indicators, or says why it is not one. Immutable and therefore
 * safe to share between threads; it never does I/O and never throws: anything it cannot map becomes a
 * skip with one of the {@link SkipReasons}.
 */
public final class StixMapper {

    private static final Map<String, TypeSpec> SENTINEL_TYPES = SentinelHandlers.build();
    private static final Map<String, TypeSpec> MISP_STIX_TYPES = MispStixHandlers.build();
    private static final long NO_END = Long.MIN_VALUE;
    /** The mapping is of the attribute as MISP made it, not a refresh. */
    private static final long AS_MADE = Long.MIN_VALUE;
    private static final long DAY_MILLIS = 86_400_000L;
    /** Categories come from a short MISP list; the bound only guards against a hostile feed. */
    private static final int CATEGORY_CACHE_LIMIT = 512;
    private static final int SMALL_TAG_COUNT = 16;

    private final MappingOptions options;
    private final Map<String, TypeSpec> types;
    private final LabelFilter labelFilter;
    private final List<String> defaultMarking;
    private final List<String> defaultIndicatorTypes;
    private final Map<String, String> categoryLabels = new ConcurrentHashMap<>();
    private final Map<String, List<KillChainPhase>> categoryPhases = new ConcurrentHashMap<>();

    public StixMapper(MappingOptions options) {
        this.options = options == null ? MappingOptions.defaults() : options;
        this.types = this.options.profile() == Profile.MISP_STIX ? MISP_STIX_TYPES : SENTINEL_TYPES;
        this.labelFilter = new LabelFilter(this.options.labelAllowPrefixes(), this.options.labelDenyPrefixes());
        this.defaultMarking = marking(this.options.defaultTlp());
        this.defaultIndicatorTypes = this.options.defaultIndicatorTypes().isEmpty()
                ? null : this.options.defaultIndicatorTypes();
    }

    public MappingOptions options() {
        return options;
    }

    /** The MISP types that can become indicators in {@code profile}, sorted; rule types included. */
    public static Set<String> supportedTypes(Profile profile) {
        Map<String, TypeSpec> table = profile == Profile.MISP_STIX ? MISP_STIX_TYPES : SENTINEL_TYPES;
        return Collections.unmodifiableSet(new TreeSet<>(table.keySet()));
    }

    /** Whether MISP type {@code type} is a rule language (sent raw, or skipped per {@link RuleHandling}). */
    public static boolean isRuleType(String type) {
        TypeSpec spec = type == null ? null : SENTINEL_TYPES.get(type);
        return spec != null && spec.rule();
    }

    public MappingResult map(MispAttribute attribute) {
        return mapSafely(attribute, false, AS_MADE);
    }

    /**
     * The indicators of an attribute Sentinel holds and MISP still shows, sent again at {@code now} so
     * that they do not expire there: the same ids and content, {@code modified} = now, and
     * {@code valid_until} = now + the TTL of their kind ({@code valid_from} stays). A kind without a
     * TTL keeps the valid_until a mapping gives it (none, or last_seen's).
     */
    public MappingResult refresh(MispAttribute attribute, Instant now) {
        return mapSafely(attribute, false, now.toEpochMilli());
    }

    /**
     * What Sentinel must get when MISP withdrew an attribute it holds indicators of (deleted it, or
     * cleared {@code to_ids}): the same indicators, as they are mapped now, marked revoked. Their
     * {@code modified} is the attribute's new timestamp, so they replace what Sentinel has. In the
     * misp-stix profile, a member of an object indicator is taken out of that indicator instead,
     * which goes out revoked only when no detection member is left.
     */
    public MappingResult revocation(MispAttribute attribute) {
        return mapSafely(attribute, true, AS_MADE);
    }

    /**
     * The revocation of indicators a refresh kept valid past the valid_until the attribute makes
     * ({@link #revocation} finds them expired, while Sentinel still matches them): modified = {@code now},
     * valid_until as a refresh at {@code now} would give, so that it replaces the refreshed copy.
     */
    public MappingResult revocation(MispAttribute attribute, Instant now) {
        return mapSafely(attribute, true, now.toEpochMilli());
    }

    /** @param refreshAt epoch millis of a refresh, or {@link #AS_MADE} */
    private MappingResult mapSafely(MispAttribute attribute, boolean withdrawn, long refreshAt) {
        try {
            return mapOrSkip(attribute, withdrawn, refreshAt);
        } catch (RuntimeException e) {
            // A bug must cost one attribute, not the cycle; the detail makes it findable.
            return MappingResult.skip(SkipReasons.INVALID_VALUE, "mapper failure: " + e);
        }
    }

    private MappingResult mapOrSkip(MispAttribute a, boolean withdrawn, long refreshAt) {
        if (a == null) {
            return MappingResult.skip(SkipReasons.INVALID_VALUE, "no attribute");
        }
        if (a.deleted() && !withdrawn) {
            return MappingResult.skip(SkipReasons.DELETED, "deleted in MISP");
        }
        if (options.profile() == Profile.MISP_STIX && a.object() != null
                && ObjectPatterns.hasTerm(a.objectName(), a.objectRelation()) && StixIds.isUuidShape(a.object().uuid())) {
            return mapObject(a, withdrawn, refreshAt);
        }
        String type = a.type();
        TypeSpec section = PeSectionHashes.spec(a);
        TypeSpec spec = section != null ? section : type == null ? null : types.get(type);
        if (spec == null) {
            return MappingResult.skip(SkipReasons.NOT_A_PATTERN,
                    type == null ? "attribute has no type" : "type '" + Text.forName(Text.clean(type)) + "' has no pattern");
        }
        if (spec.requiresToIds() && !a.toIds() && !withdrawn) {
            return MappingResult.skip(SkipReasons.NOT_A_PATTERN, type + " without to_ids is context, not a detection");
        }
        if (spec.rule() && options.ruleHandling() == RuleHandling.SKIP) {
            return MappingResult.skip(SkipReasons.RULE_SKIPPED, type + " rules are not sent");
        }
        String uuid = a.uuid();
        if (!StixIds.isUuidShape(uuid)) {
            return MappingResult.skip(SkipReasons.INVALID_VALUE,
                    uuid == null ? "attribute has no uuid" : "attribute uuid is not a UUID");
        }
        String value = a.value();
        MappingResult unusable = missingOrTooLong(value, spec.rule() ? options.maxRuleLength() : options.maxValueLength());
        if (unusable != null) {
            return unusable;
        }
        if (spec.rule()) {
            if (Text.clean(value) != value) {
                return MappingResult.skip(SkipReasons.INVALID_VALUE, "unpaired surrogate in rule text");
            }
        } else {
            String why = ValueChecks.checkCharacters(value);
            if (why != null) {
                return MappingResult.skip(SkipReasons.INVALID_VALUE, why);
            }
        }
        Built built = spec.handler().build(value);
        if (built.invalid() != null) {
            return MappingResult.skip(built.skipReason(), built.invalid());
        }
        MappingResult result = assemble(a, spec, value, built, refreshAt);
        return withdrawn ? result.revoked() : result;
    }

    private MappingResult assemble(MispAttribute a, TypeSpec spec, String value, Built built, long refreshAt) {
        long ts = a.timestamp();
        if (ts < 0 || ts > StixTimes.MAX_MILLIS / 1000) {
            return MappingResult.skip(SkipReasons.INVALID_VALUE, "timestamp out of range: " + ts);
        }
        long createdMillis = ts * 1000;
        long fromMillis = createdMillis;
        if (a.firstSeen() != null) {
            fromMillis = millisOrMin(a.firstSeen());
            if (!StixTimes.inRange(fromMillis)) {
                return MappingResult.skip(SkipReasons.INVALID_VALUE, "first_seen out of range");
            }
        }
        long now = now(refreshAt);
        String created = StixTimes.format(createdMillis);
        String modified = modified(createdMillis, refreshAt, created);
        String validFrom = fromMillis == createdMillis ? created : StixTimes.format(fromMillis);

        List<Built.Piece> pieces = built.pieces();
        List<StixIndicator> out = new ArrayList<>(pieces.size());
        Shared shared = null;
        long lastExpiredEnd = NO_END;
        for (Built.Piece piece : pieces) {
            long end = validUntil(piece.kind(), fromMillis, a.lastSeen(), refreshAt);
            if (end != NO_END && (end <= fromMillis || end <= now)) {
                lastExpiredEnd = end;
                continue;
            }
            if (shared == null) {
                String category = Text.isBlank(a.category()) ? null : Text.clean(a.category());
                shared = shared(a, name(a, spec, value), description(a.comment(), a.eventInfo()), spec.typeLabel(),
                        category == null ? null : categoryLabel(category), category, a.tags());
            }
            String id = piece.part() == null ? "indicator--" + a.uuid()
                    : "indicator--" + StixIds.derived(a.uuid(), piece.part());
            out.add(new StixIndicator(id, created, modified, shared.name, shared.description,
                    shared.indicatorTypes, piece.pattern(), piece.patternType(), "2.1", validFrom,
                    end == NO_END ? null : StixTimes.format(end), shared.phases, shared.labels,
                    shared.confidence, shared.createdByRef, shared.markings, shared.references, null));
        }
        if (out.isEmpty()) {
            return expired(lastExpiredEnd);
        }
        return MappingResult.of(out);
    }

    /** Null when {@code value} is there and within {@code limit} characters. */
    private static MappingResult missingOrTooLong(String value, int limit) {
        if (value == null || value.isBlank()) {
            return MappingResult.skip(SkipReasons.MISSING_VALUE, "empty value");
        }
        if (value.length() > limit) {
            return MappingResult.skip(SkipReasons.VALUE_TOO_LONG, value.length() + " characters, limit " + limit);
        }
        return null;
    }

    private static MappingResult expired(long end) {
        return MappingResult.skip(SkipReasons.EXPIRED, "valid_until " + StixTimes.format(
                Math.max(end, StixTimes.MIN_MILLIS)) + " is not after valid_from and now");
    }

    /**
     * The misp-stix profile's one indicator for a whole MISP object ({@code indicator--<object uuid>}):
     * its pattern joins the detection ({@code to_ids}) members the template has a place for. The
     * attribute at hand counts as it is now, whatever the copy of the object says: a {@code withdrawn}
     * one is left out, and the indicator is revoked when nothing is left. Other members that are
     * invalid are left out here, and reported when they come through the feed themselves.
     */
    private MappingResult mapObject(MispAttribute a, boolean withdrawn, long refreshAt) {
        MispObject object = a.object();
        String name = a.objectName();
        List<String[]> members = new ArrayList<>();
        List<MispTag> tags = new ArrayList<>();
        if (!withdrawn) {
            MappingResult unusable = addOwnMember(a, members, tags);
            if (unusable != null) {
                return unusable;
            }
        }
        long newest = Math.max(object.timestamp(), a.timestamp());
        for (MispAttribute m : object.attributes()) {
            if (m.uuid().equals(a.uuid()) || m.deleted() || !m.toIds() || !usableMember(name, m)) {
                continue;
            }
            members.add(new String[] {m.objectRelation(), m.value()});
            newest = Math.max(newest, m.timestamp());
            for (MispTag tag : m.tags()) {
                if (!tag.inherited()) {
                    tags.add(tag);
                }
            }
        }
        // Revoked, Sentinel still wants a valid pattern: the withdrawn member's own is the one left.
        boolean revoked = members.isEmpty();
        if (revoked) {
            MappingResult unusable = addOwnMember(a, members, tags);
            if (unusable != null) {
                return unusable;
            }
        }
        if (newest > StixTimes.MAX_MILLIS / 1000) {
            return MappingResult.skip(SkipReasons.INVALID_VALUE, "timestamp out of range: " + newest);
        }
        ObjectPatterns.Pattern pattern = ObjectPatterns.pattern(name, members);
        long createdMillis = newest * 1000;
        long end = validUntil(pattern.kind(), createdMillis, null, refreshAt);
        if (end != NO_END && (end <= createdMillis || end <= now(refreshAt))) {
            return expired(end);
        }
        String metaCategory = Text.isBlank(object.metaCategory()) ? null : Text.clean(object.metaCategory());
        Shared shared = shared(a, objectName(name, pattern.values()), description(object.comment(), a.eventInfo()),
                "misp:name=\"" + Text.clean(name) + "\"",
                metaCategory == null ? null : "misp:meta-category=\"" + metaCategory + "\"", metaCategory, tags);
        String created = StixTimes.format(createdMillis);
        StixIndicator indicator = new StixIndicator("indicator--" + object.uuid(), created,
                modified(createdMillis, refreshAt, created), shared.name,
                shared.description, shared.indicatorTypes, pattern.text(), "stix", "2.1", created,
                end == NO_END ? null : StixTimes.format(end), shared.phases, shared.labels, shared.confidence,
                shared.createdByRef, shared.markings, shared.references, null);
        return MappingResult.ofObject(revoked ? indicator.revoke() : indicator);
    }

    /** Puts the attribute at hand into its object's pattern; a skip when its value cannot go there. */
    private MappingResult addOwnMember(MispAttribute a, List<String[]> members, List<MispTag> tags) {
        MappingResult unusable = missingOrTooLong(a.value(), options.maxValueLength());
        if (unusable != null) {
            return unusable;
        }
        String why = ObjectPatterns.check(a.objectName(), a.objectRelation(), a.value());
        if (why != null) {
            return MappingResult.skip(SkipReasons.INVALID_VALUE, a.objectRelation() + " of " + a.objectName()
                    + " object: " + why);
        }
        members.add(new String[] {a.objectRelation(), a.value()});
        tags.addAll(a.tags());
        return null;
    }

    private boolean usableMember(String objectName, MispAttribute m) {
        String value = m.value();
        return ObjectPatterns.hasTerm(objectName, m.objectRelation()) && value != null && !value.isBlank()
                && value.length() <= options.maxValueLength()
                && ObjectPatterns.check(objectName, m.objectRelation(), value) == null;
    }

    /** "file object: invoice.exe, 8764605c6f38..." */
    private static String objectName(String objectName, List<String> values) {
        StringBuilder name = new StringBuilder(64).append(Text.forName(Text.clean(objectName))).append(" object: ");
        for (int i = 0; i < values.size() && name.length() < Text.NAME_VALUE_LIMIT; i++) {
            name.append(i == 0 ? "" : ", ").append(Text.forName(values.get(i)));
        }
        return name.toString();
    }

    /**
     * {@link #NO_END} when no end applies; clamped to the year 9999. A refresh counts the TTL from
     * its own time, so that the indicator stays valid as long again as a new one would.
     */
    private long validUntil(IndicatorKind kind, long fromMillis, Instant lastSeen, long refreshAt) {
        int days = options.ttlDays(kind);
        if (refreshAt != AS_MADE && days > 0) {
            return Math.min(refreshAt + days * DAY_MILLIS, StixTimes.MAX_MILLIS);
        }
        if (options.useLastSeen() && lastSeen != null) {
            // Clamped into the writable range; an absurdly early last_seen then simply counts as expired.
            return Math.max(StixTimes.MIN_MILLIS, Math.min(millisOrMin(lastSeen), StixTimes.MAX_MILLIS));
        }
        if (days == 0) {
            return NO_END;
        }
        return Math.min(fromMillis + days * DAY_MILLIS, StixTimes.MAX_MILLIS);
    }

    /** A refresh's time is its now: what expires is judged against the valid_until it sends. */
    private long now(long refreshAt) {
        return refreshAt == AS_MADE ? options.clock().millis() : refreshAt;
    }

    /** STIX wants modified no earlier than created, which a MISP clock ahead of ours would break. */
    private static String modified(long createdMillis, long refreshAt, String created) {
        return refreshAt == AS_MADE || refreshAt <= createdMillis ? created : StixTimes.format(refreshAt);
    }

    /** Epoch millis without the overflow {@code Instant.toEpochMilli} throws on for absurd instants. */
    private static long millisOrMin(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < StixTimes.MIN_MILLIS / 1000 - 1) {
            return Long.MIN_VALUE;
        }
        if (seconds > StixTimes.MAX_MILLIS / 1000 + 1) {
            return Long.MAX_VALUE;
        }
        return seconds * 1000 + instant.getNano() / 1_000_000;
    }

    /** The properties every indicator of one attribute has in common. */
    private static final class Shared {
        String name;
        String description;
        List<String> indicatorTypes;
        List<KillChainPhase> phases;
        List<String> labels;
        Integer confidence;
        String createdByRef;
        List<String> markings;
        List<ExternalReference> references;
    }

    /**
     * @param typeLabel     the first label ({@code misp:type="..."}, or for an object {@code misp:name="..."})
     * @param categoryLabel the second, or null
     * @param phase         the {@code misp-category} kill chain phase, or null
     * @param tags          the tags to read labels, TLP, confidence and indicator types from
     */
    private Shared shared(MispAttribute a, String name, String description, String typeLabel, String categoryLabel,
                          String phase, List<MispTag> tags) {
        Shared s = new Shared();
        s.name = name;
        s.description = description;
        s.phases = phase == null ? null : phases(phase);
        s.labels = labels(typeLabel, categoryLabel, tags);
        TagFacts facts = TagFacts.read(tags);
        s.indicatorTypes = facts.indicatorTypes.isEmpty() ? defaultIndicatorTypes : facts.indicatorTypes;
        s.confidence = facts.confidence != null ? facts.confidence
                : a.decayScore() != null ? Integer.valueOf((int) Math.round(a.decayScore()))
                : options.defaultConfidence();
        s.markings = facts.tlp != null ? marking(facts.tlp) : defaultMarking;
        if (options.includeCreatedByRef() && StixIds.isUuidShape(a.orgcUuid())) {
            s.createdByRef = "identity--" + a.orgcUuid();
        }
        s.references = reference(a.eventUuid());
        return s;
    }

    private static String name(MispAttribute a, TypeSpec spec, String value) {
        StringBuilder name = new StringBuilder(spec.type().length() + Math.min(value.length(), Text.NAME_VALUE_LIMIT) + 32)
                .append(spec.type()).append(": ").append(Text.forName(value));
        if (a.inObject() && !Text.isBlank(a.objectName())) {
            name.append(" (object ").append(Text.forName(Text.clean(a.objectName())));
            if (!Text.isBlank(a.objectRelation())) {
                name.append(", relation ").append(Text.forName(Text.clean(a.objectRelation())));
            }
            name.append(')');
        }
        return name.toString();
    }

    private static String description(String comment, String eventInfo) {
        boolean hasComment = !Text.isBlank(comment);
        boolean hasInfo = !Text.isBlank(eventInfo);
        if (hasComment && hasInfo) {
            return Text.clean(comment) + "\n\nEvent: " + Text.clean(eventInfo);
        }
        if (hasComment) {
            return Text.clean(comment);
        }
        return hasInfo ? "Event: " + Text.clean(eventInfo) : null;
    }

    private List<String> labels(String typeLabel, String categoryLabel, List<MispTag> tags) {
        // A list with linear de-duplication beats a hash set for the handful of tags usual in MISP;
        // the set only guards against attributes carrying hundreds of tags.
        Collection<String> labels = tags.size() > SMALL_TAG_COUNT ? new LinkedHashSet<>() : new ArrayList<>(tags.size() + 2);
        addLabel(labels, typeLabel);
        if (categoryLabel != null) {
            addLabel(labels, categoryLabel);
        }
        for (MispTag tag : tags) {
            if (tag != null && !Text.isBlank(tag.name())) {
                addLabel(labels, Text.clean(tag.name().trim()));
            }
        }
        return labels.isEmpty() ? null : List.copyOf(labels);
    }

    private void addLabel(Collection<String> labels, String label) {
        if (labelFilter.keeps(label) && !labels.contains(label)) {
            labels.add(label);
        }
    }

    private String categoryLabel(String category) {
        String label = categoryLabels.get(category);
        if (label == null) {
            label = "misp:category=\"" + category + "\"";
            if (categoryLabels.size() < CATEGORY_CACHE_LIMIT) {
                categoryLabels.putIfAbsent(category, label);
            }
        }
        return label;
    }

    private List<KillChainPhase> phases(String category) {
        List<KillChainPhase> phases = categoryPhases.get(category);
        if (phases == null) {
            phases = List.of(new KillChainPhase("misp-category", category));
            if (categoryPhases.size() < CATEGORY_CACHE_LIMIT) {
                categoryPhases.putIfAbsent(category, phases);
            }
        }
        return phases;
    }

    /** Only a uuid-shaped event id is put into the link, so no feed value can steer the URL. */
    private List<ExternalReference> reference(String eventUuid) {
        if (!StixIds.isUuidShape(eventUuid)) {
            return null;
        }
        String url = options.mispBaseUrl() == null ? null : options.mispBaseUrl() + "/events/view/" + eventUuid;
        return List.of(new ExternalReference("MISP", url, eventUuid, null));
    }

    private static List<String> marking(Tlp tlp) {
        return tlp == null ? null : List.of(tlp.markingId());
    }
}
