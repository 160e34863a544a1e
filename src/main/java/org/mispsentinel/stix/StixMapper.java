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
        try {
            return mapOrSkip(attribute);
        } catch (RuntimeException e) {
            // A bug must cost one attribute, not the cycle; the detail makes it findable.
            return MappingResult.skip(SkipReasons.INVALID_VALUE, "mapper failure: " + e);
        }
    }

    private MappingResult mapOrSkip(MispAttribute a) {
        if (a == null) {
            return MappingResult.skip(SkipReasons.INVALID_VALUE, "no attribute");
        }
        if (a.deleted()) {
            return MappingResult.skip(SkipReasons.DELETED, "deleted in MISP");
        }
        String type = a.type();
        TypeSpec spec = type == null ? null : types.get(type);
        if (spec == null) {
            return MappingResult.skip(SkipReasons.NOT_A_PATTERN,
                    type == null ? "attribute has no type" : "type '" + Text.forName(Text.clean(type)) + "' has no pattern");
        }
        if (spec.requiresToIds() && !a.toIds()) {
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
        if (value == null || value.isBlank()) {
            return MappingResult.skip(SkipReasons.MISSING_VALUE, "empty value");
        }
        int limit = spec.rule() ? options.maxRuleLength() : options.maxValueLength();
        if (value.length() > limit) {
            return MappingResult.skip(SkipReasons.VALUE_TOO_LONG, value.length() + " characters, limit " + limit);
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
            return MappingResult.skip(SkipReasons.INVALID_VALUE, built.invalid());
        }
        return assemble(a, spec, value, built);
    }

    private MappingResult assemble(MispAttribute a, TypeSpec spec, String value, Built built) {
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
        long now = options.clock().millis();
        String created = StixTimes.format(createdMillis);
        String validFrom = fromMillis == createdMillis ? created : StixTimes.format(fromMillis);

        List<Built.Piece> pieces = built.pieces();
        List<StixIndicator> out = new ArrayList<>(pieces.size());
        Shared shared = null;
        long lastExpiredEnd = NO_END;
        for (Built.Piece piece : pieces) {
            long end = validUntil(piece.kind(), fromMillis, a.lastSeen());
            if (end != NO_END && (end <= fromMillis || end <= now)) {
                lastExpiredEnd = end;
                continue;
            }
            if (shared == null) {
                shared = shared(a, spec, value);
            }
            String id = piece.part() == null ? "indicator--" + a.uuid()
                    : "indicator--" + StixIds.derived(a.uuid(), piece.part());
            out.add(new StixIndicator(id, created, created, shared.name, shared.description,
                    shared.indicatorTypes, piece.pattern(), piece.patternType(), "2.1", validFrom,
                    end == NO_END ? null : StixTimes.format(end), shared.phases, shared.labels,
                    shared.confidence, shared.createdByRef, shared.markings, shared.references));
        }
        if (out.isEmpty()) {
            return MappingResult.skip(SkipReasons.EXPIRED, "valid_until " + StixTimes.format(
                    Math.max(lastExpiredEnd, StixTimes.MIN_MILLIS)) + " is not after valid_from and now");
        }
        return MappingResult.of(out);
    }

    /** {@link #NO_END} when no end applies; clamped to the year 9999. */
    private long validUntil(IndicatorKind kind, long fromMillis, Instant lastSeen) {
        if (options.useLastSeen() && lastSeen != null) {
            // Clamped into the writable range; an absurdly early last_seen then simply counts as expired.
            return Math.max(StixTimes.MIN_MILLIS, Math.min(millisOrMin(lastSeen), StixTimes.MAX_MILLIS));
        }
        int days = options.ttlDays(kind);
        if (days == 0) {
            return NO_END;
        }
        return Math.min(fromMillis + days * DAY_MILLIS, StixTimes.MAX_MILLIS);
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

    private Shared shared(MispAttribute a, TypeSpec spec, String value) {
        Shared s = new Shared();
        s.name = name(a, spec, value);
        s.description = description(a);
        String category = Text.isBlank(a.category()) ? null : Text.clean(a.category());
        s.phases = category == null ? null : phases(category);
        s.labels = labels(spec, category, a.tags());
        TagFacts facts = TagFacts.read(a.tags());
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

    private static String description(MispAttribute a) {
        boolean hasComment = !Text.isBlank(a.comment());
        boolean hasInfo = !Text.isBlank(a.eventInfo());
        if (hasComment && hasInfo) {
            return Text.clean(a.comment()) + "\n\nEvent: " + Text.clean(a.eventInfo());
        }
        if (hasComment) {
            return Text.clean(a.comment());
        }
        return hasInfo ? "Event: " + Text.clean(a.eventInfo()) : null;
    }

    private List<String> labels(TypeSpec spec, String category, List<MispTag> tags) {
        // A list with linear de-duplication beats a hash set for the handful of tags usual in MISP;
        // the set only guards against attributes carrying hundreds of tags.
        Collection<String> labels = tags.size() > SMALL_TAG_COUNT ? new LinkedHashSet<>() : new ArrayList<>(tags.size() + 2);
        addLabel(labels, spec.typeLabel());
        if (category != null) {
            addLabel(labels, categoryLabel(category));
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
