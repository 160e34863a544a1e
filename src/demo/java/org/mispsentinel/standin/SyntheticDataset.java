package org.mispsentinel.standin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * A large MISP made up on the fly: attribute {@code id} is derived from {@code (seed, id)} alone, so
 * the dataset costs O(1) memory, any page is O(page size), and two runs with one seed see the same
 * attributes. Values stay in documentation ranges (RFC 5737/3849 addresses, example.* names,
 * documentation AS numbers), so nothing generated here can point at a real host.
 *
 * <p>{@code to_ids} follows a shuffled pattern of {@value #TO_IDS_PER_BLOCK} in every
 * {@value #BLOCK} consecutive ids (65%), which keeps counting and paging under the {@code to_ids}
 * filter arithmetic instead of a scan of a million attributes.
 */
public final class SyntheticDataset implements MispDataset {

    public static final long DEFAULT_START_EPOCH_SECONDS = 1_700_000_000L;
    static final int BLOCK = 20;
    static final int TO_IDS_PER_BLOCK = 13;
    /** Attributes sharing one timestamp, as when an analyst saves several at once. */
    static final int PER_TICK = 5;
    static final long TICK_SECONDS = 60;
    static final int PER_EVENT = 50;

    private static final String[] INDICATOR_TYPES = {
        "ip-dst", "ip-src", "domain", "hostname", "url", "md5", "sha1", "sha256", "filename|sha256",
        "filename|md5", "domain|ip", "ip-dst|port", "email-src", "email-subject", "mutex", "regkey", "AS"};
    private static final int[] INDICATOR_WEIGHTS = {18, 6, 12, 6, 10, 8, 5, 12, 4, 3, 3, 3, 3, 2, 1, 1, 2};
    private static final String[] OTHER_TYPES = {
        "comment", "text", "link", "vulnerability", "ip-src", "domain", "hostname", "email-subject", "AS", "url"};
    private static final int[] OTHER_WEIGHTS = {20, 15, 15, 10, 10, 10, 5, 5, 5, 5};
    private static final String[] CAMPAIGNS = {
        "Phishing wave", "Credential harvesting", "Ransomware loader", "Banking trojan C2", "Botnet infrastructure",
        "Malspam campaign", "Watering hole", "Cryptominer distribution", "Infostealer panel", "Exploit kit"};
    private static final String[] WORDS = {
        "login", "cdn", "update", "secure", "mail", "portal", "files", "api", "static", "billing", "track", "auth"};
    private static final String[] DOMAINS = {"example.org", "example.com", "example.net"};
    private static final String[] CONFIDENCE = {"completely-confident", "usually-confident", "fairly-confident"};

    /** Object ids of the objects {@code objectShare} makes: above every other id, then event and group. */
    private static final long GROUP_OBJECT_BASE = 2_000_000_000L;
    private static final int PER_OBJECT = 3;

    private final long seed;
    private final int count;
    private final long start;
    private final double objectShare;
    private final boolean threatContext;

    /**
     * Events with threat context ({@link #withThreatContext}): their creator organisation's name and
     * uuid, and on some of them an ATT&CK technique and a threat actor, as MISP's galaxies tag them.
     */
    private static final String[] ORGS = {"CIRCL", "Example CERT", "Example ISAC"};
    private static final String[] TECHNIQUES = {
        "Phishing - T1566", "Spearphishing Attachment - T1566.001", "Spearphishing Link - T1566.002",
        "Application Layer Protocol - T1071", "Web Protocols - T1071.001", "Ingress Tool Transfer - T1105",
        "Command and Scripting Interpreter - T1059", "PowerShell - T1059.001", "Exfiltration Over C2 Channel - T1041",
        "Obfuscated Files or Information - T1027", "User Execution - T1204", "Valid Accounts - T1078",
        "Data Encrypted for Impact - T1486", "Dynamic Resolution - T1568", "Proxy - T1090"};
    private static final String[] ACTORS = {"APT28 - G0007", "APT29 - G0016", "Lazarus Group - G0032", "FIN7 - G0046",
        "Wizard Spider - G0102"};

    public SyntheticDataset(long seed, int count) {
        this(seed, count, DEFAULT_START_EPOCH_SECONDS);
    }

    public SyntheticDataset(long seed, int count, long startEpochSeconds) {
        this(seed, count, startEpochSeconds, 0);
    }

    /**
     * @param objectShare share (0..1) of the attributes that sit in {@code file} objects of up to
     *                    {@value #PER_OBJECT} neighbours of one event; 0 keeps the default of a few
     *                    hashes in one object per event
     */
    public SyntheticDataset(long seed, int count, long startEpochSeconds, double objectShare) {
        this(seed, count, startEpochSeconds, objectShare, false);
    }

    private SyntheticDataset(long seed, int count, long startEpochSeconds, double objectShare, boolean threatContext) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative");
        }
        if (objectShare < 0 || objectShare > 1) {
            throw new IllegalArgumentException("objectShare must be between 0 and 1");
        }
        this.seed = seed;
        this.count = count;
        this.start = startEpochSeconds;
        this.objectShare = objectShare;
        this.threatContext = threatContext;
    }

    /**
     * The same attributes, their events carrying threat context: the creator organisation's uuid
     * (one of three), an ATT&CK technique on half of the events and a threat actor on one in six,
     * as event-level galaxy tags. Gives about 0.65 relationships per indicator, the share the
     * issue measured against other simulators (39,795 context objects beside 61,405 indicators).
     */
    public SyntheticDataset withThreatContext() {
        return new SyntheticDataset(seed, count, start, objectShare, true);
    }

    /** The group object of attribute {@code id}, or -1 when it sits in none. */
    private long groupObjectOf(long id) {
        long eventId = (id - 1) / PER_EVENT + 1;
        long group = ((id - 1) % PER_EVENT) / PER_OBJECT;
        long objectId = GROUP_OBJECT_BASE + eventId * PER_EVENT + group;
        boolean inOne = Math.floorMod(mix(seed ^ 0x0B1EL, objectId), 1000L) < objectShare * 1000;
        return inOne ? objectId : -1;
    }

    public int count() {
        return count;
    }

    /** Non-decreasing in id. */
    public long timestampOf(long id) {
        return start + ((id - 1) / PER_TICK) * TICK_SECONDS;
    }

    /** The newest timestamp in the dataset, e.g. to poll "from now on" after a full load. */
    public long lastTimestamp() {
        return count == 0 ? start : timestampOf(count);
    }

    public boolean toIds(long id) {
        return permutation((id - 1) / BLOCK)[(int) ((id - 1) % BLOCK)] < TO_IDS_PER_BLOCK;
    }

    @Override
    public int size(SearchFilters query) {
        long[] range = idRange(query);
        if (range == null) {
            return 0;
        }
        long lo = range[0];
        long hi = range[1];
        if (query.toIds() == null) {
            return (int) (hi - lo + 1);
        }
        long withIds = countUpTo(hi, true) - countUpTo(lo - 1, true);
        return (int) (query.toIds() ? withIds : hi - lo + 1 - withIds);
    }

    /**
     * Ascending id order (which is also timestamp order here) when {@code order} asks for ascending
     * ids or timestamps; without {@code order}, descending ids, so that a client leaning on MISP's
     * unspecified default order is caught.
     */
    @Override
    public Stream<ObjectNode> page(SearchFilters query, long offset, int limit) {
        long[] range = idRange(query);
        if (range == null || limit <= 0) {
            return Stream.empty();
        }
        boolean ascending = !query.order().isEmpty() && !query.order().get(0).descending();
        if (!ascending) {
            int size = size(query);
            if (offset >= size) {
                return Stream.empty();
            }
            // the (offset + limit)-th from the end backwards, from ascending pages
            long from = Math.max(0, size - offset - limit);
            List<ObjectNode> chunk = ascendingPage(query, range, from, (int) (size - offset - from)).toList();
            List<ObjectNode> reversed = new ArrayList<>(chunk);
            java.util.Collections.reverse(reversed);
            return reversed.stream();
        }
        return ascendingPage(query, range, offset, limit);
    }

    private Stream<ObjectNode> ascendingPage(SearchFilters query, long[] range, long offset, int limit) {
        long hi = range[1];
        Boolean flag = query.toIds();
        long first = flag == null ? range[0] + offset : nth(countUpTo(range[0] - 1, flag) + offset, flag);
        if (first > hi) {
            return Stream.empty();
        }
        LongStream ids = LongStream.rangeClosed(first, hi);
        if (flag != null) {
            ids = ids.filter(id -> toIds(id) == flag);
        }
        return ids.limit(limit).mapToObj(this::attribute);
    }

    /** Every event is published, at the timestamp of its newest attribute, which is also its own timestamp. */
    private long eventTimestampOf(long id) {
        long eventId = (id - 1) / PER_EVENT + 1;
        return timestampOf(Math.min(count, eventId * PER_EVENT));
    }

    /** The first id whose event has a timestamp at or after {@code timestamp}. */
    private long firstIdOfEventAtOrAfter(long timestamp) {
        long id = firstIdAtOrAfter(timestamp);
        if (id > count) {
            // the newest event may end before its PER_EVENT attributes
            return eventTimestampOf(count) >= timestamp ? ((count - 1) / PER_EVENT) * PER_EVENT + 1 : id;
        }
        long first = ((id - 1) / PER_EVENT) * PER_EVENT + 1;
        return eventTimestampOf(first) >= timestamp ? first : id;
    }

    /** The attribute with this id (1-based), whether or not it is in range. */
    public ObjectNode attribute(long id) {
        SplittableRandom random = new SplittableRandom(mix(seed, id));
        boolean toIds = toIds(id);
        String type = toIds ? pick(random, INDICATOR_TYPES, INDICATOR_WEIGHTS) : pick(random, OTHER_TYPES, OTHER_WEIGHTS);
        long eventId = (id - 1) / PER_EVENT + 1;
        long timestamp = timestampOf(id);
        MispAttributes.Builder builder = MispAttributes.attribute(type, value(type, random))
                .id(id)
                .toIds(toIds)
                .uuid(uuid(random.nextLong(), random.nextLong()).toString())
                .timestamp(timestamp)
                .event(Long.toString(eventId), eventInfo(eventId))
                .eventUuid(uuid(mix(seed ^ 0x5EED_E7E7L, eventId), mix(seed ^ 0xE7E7_5EEDL, eventId)).toString())
                .org("1", Long.toString(1 + eventId % 3));
        if (random.nextInt(10) == 0) {
            Instant seen = Instant.ofEpochSecond(timestamp);
            builder.firstSeen(seen.minusSeconds(random.nextInt(30 * 86_400))).lastSeen(seen);
        }
        if (objectShare > 0) {
            long group = groupObjectOf(id);
            if (group > 0) {
                builder.inObject(Long.toString(group), type);
            }
        } else if (type.equals("md5") || type.equals("sha1") || type.equals("sha256")) {
            if (random.nextInt(4) == 0) {
                builder.inObject(Long.toString(eventId * 10 + 1), type);
            }
        }
        if (type.equals("comment")) {
            builder.comment("analyst note");
        }
        if (random.nextInt(4) == 0) {
            builder.tag("misp:confidence-level=\"" + CONFIDENCE[random.nextInt(CONFIDENCE.length)] + "\"");
        }
        if (threatContext) {
            int org = (int) (eventId % ORGS.length);
            builder.orgc(ORGS[org], uuid(mix(seed ^ 0x0A6CL, org), mix(seed ^ 0xC6A0L, org)).toString());
            long technique = Math.floorMod(mix(seed ^ 0x7EC4L, eventId), 2L * TECHNIQUES.length);
            if (technique < TECHNIQUES.length) {
                builder.eventTag("misp-galaxy:mitre-attack-pattern=\"" + TECHNIQUES[(int) technique] + "\"");
            }
            long actor = Math.floorMod(mix(seed ^ 0xAC70L, eventId), 6L * ACTORS.length);
            if (actor < ACTORS.length) {
                builder.eventTag("misp-galaxy:mitre-intrusion-set=\"" + ACTORS[(int) actor] + "\"");
            }
        }
        int tlp = (int) Math.floorMod(mix(seed ^ 0x71B, eventId), 20L);
        if (tlp < 11) {
            builder.eventTag("tlp:green");
        } else if (tlp < 15) {
            builder.eventTag("tlp:amber");
        }
        return builder.build();
    }

    /**
     * The {@code file} object of an event ({@code id} = event id * 10 + 1), grouping the hashes of
     * that event that {@link #attribute} placed in it; empty when the event has none.
     */
    @Override
    public Optional<ObjectNode> object(String id) {
        long objectId;
        try {
            objectId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        long eventId;
        long first;
        long last;
        if (objectShare > 0 && objectId >= GROUP_OBJECT_BASE) {
            eventId = (objectId - GROUP_OBJECT_BASE) / PER_EVENT;
            first = (eventId - 1) * PER_EVENT + 1 + ((objectId - GROUP_OBJECT_BASE) % PER_EVENT) * PER_OBJECT;
            last = Math.min(count, first + PER_OBJECT - 1);
        } else if (objectShare == 0 && objectId % 10 == 1) {
            eventId = objectId / 10;
            first = (eventId - 1) * PER_EVENT + 1;
            last = Math.min(count, eventId * PER_EVENT);
        } else {
            return Optional.empty();
        }
        List<ObjectNode> members = new ArrayList<>();
        long newest = 0;
        for (long i = Math.max(1, first); i <= last; i++) {
            ObjectNode attribute = attribute(i);
            if (id.equals(attribute.path("object_id").asText())) {
                members.add(MispAttributes.asObjectMember(attribute));
                newest = Math.max(newest, timestampOf(i));
            }
        }
        if (members.isEmpty()) {
            return Optional.empty();
        }
        String uuid = uuid(mix(seed ^ 0x0B7EL, objectId), mix(seed ^ 0xE70BL, objectId)).toString();
        ObjectNode object = MispAttributes.object(objectId, uuid, "file", "file", newest);
        object.put("event_id", Long.toString(eventId));
        object.putArray("Attribute").addAll(members);
        return Optional.of(object);
    }

    @Override
    public Stream<ObjectNode> objectsOfEvents(java.util.Collection<String> eventIds) {
        return eventIds.stream().mapToLong(Long::parseLong).sorted()
                .boxed()
                .flatMap(eventId -> objectShare > 0
                        ? LongStream.range(0, (PER_EVENT + PER_OBJECT - 1) / PER_OBJECT)
                                .mapToObj(group -> Long.toString(GROUP_OBJECT_BASE + eventId * PER_EVENT + group))
                        : Stream.of(Long.toString(eventId * 10 + 1)))
                .map(this::object)
                .flatMap(Optional::stream);
    }

    private long[] idRange(SearchFilters query) {
        if (query.matchesNothing() || query.deleted() == SearchFilters.Deleted.ONLY || count == 0
                || Boolean.FALSE.equals(query.published())) {
            return null;
        }
        SearchFilters.Range attribute = query.attributeTimestamp();
        long lo = Math.max(1, firstIdAtOrAfter(attribute.min()));
        long hi = Math.min(count, lastIdAtOrBefore(attribute.max()));
        for (SearchFilters.Range event : List.of(query.publishTimestamp(), query.eventTimestamp())) {
            if (event.min() != Long.MIN_VALUE) {
                lo = Math.max(lo, firstIdOfEventAtOrAfter(event.min()));
            }
            if (event.max() != Long.MAX_VALUE) {
                // events whose newest attribute is at or before max: whole events only
                long last = lastIdAtOrBefore(event.max());
                hi = Math.min(hi, eventTimestampOf(last) <= event.max() ? last : ((last - 1) / PER_EVENT) * PER_EVENT);
            }
        }
        if (query.eventIds() != null || query.uuids() != null || !query.types().equals(SearchFilters.Terms.NONE)
                || !query.tags().equals(SearchFilters.Terms.NONE)) {
            throw new IllegalArgumentException("the synthetic dataset does not filter by eventid, uuid, type or tags");
        }
        return hi < lo ? null : new long[] {lo, hi};
    }

    private long firstIdAtOrAfter(long timestamp) {
        if (timestamp <= start) {
            return 1;
        }
        long tick = Math.floorDiv(timestamp - start + TICK_SECONDS - 1, TICK_SECONDS);
        return tick > (long) count ? (long) count + 1 : tick * PER_TICK + 1;
    }

    private long lastIdAtOrBefore(long timestamp) {
        if (timestamp < start) {
            return 0;
        }
        long tick = (timestamp - start) / TICK_SECONDS;
        return tick >= count ? count : (tick + 1) * PER_TICK;
    }

    /** How many of ids 1..n have {@code to_ids == flag}. */
    private long countUpTo(long n, boolean flag) {
        if (n <= 0) {
            return 0;
        }
        long blocks = n / BLOCK;
        int rest = (int) (n % BLOCK);
        int[] perm = permutation(blocks);
        long withIds = blocks * TO_IDS_PER_BLOCK;
        for (int pos = 0; pos < rest; pos++) {
            if (perm[pos] < TO_IDS_PER_BLOCK) {
                withIds++;
            }
        }
        return flag ? withIds : n - withIds;
    }

    /** The id of the k-th (0-based) attribute with {@code to_ids == flag}. */
    private long nth(long k, boolean flag) {
        int perBlock = flag ? TO_IDS_PER_BLOCK : BLOCK - TO_IDS_PER_BLOCK;
        long block = k / perBlock;
        int within = (int) (k % perBlock);
        int[] perm = permutation(block);
        for (int pos = 0; pos < BLOCK; pos++) {
            if ((perm[pos] < TO_IDS_PER_BLOCK) == flag && within-- == 0) {
                return block * BLOCK + pos + 1;
            }
        }
        throw new IllegalStateException("unreachable: every block has " + perBlock + " matches");
    }

    private int[] permutation(long block) {
        int[] perm = new int[BLOCK];
        for (int i = 0; i < BLOCK; i++) {
            perm[i] = i;
        }
        SplittableRandom random = new SplittableRandom(mix(seed ^ 0xB10C_B10CL, block));
        for (int i = BLOCK - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = perm[i];
            perm[i] = perm[j];
            perm[j] = swap;
        }
        return perm;
    }

    private String eventInfo(long eventId) {
        return CAMPAIGNS[(int) Math.floorMod(mix(seed ^ 0xCA4L, eventId), (long) CAMPAIGNS.length)] + " #" + eventId;
    }

    private static String value(String type, SplittableRandom r) {
        return switch (type) {
            case "ip-dst", "ip-src" -> ip(r);
            case "domain" -> domain(r);
            case "hostname" -> "host" + r.nextInt(1000) + "." + domain(r);
            case "url" -> "https://" + domain(r) + "/" + word(r) + "/" + hex(r, 8) + ".php?id=" + r.nextInt(100_000);
            case "md5" -> hex(r, 32);
            case "sha1" -> hex(r, 40);
            case "sha256" -> hex(r, 64);
            case "filename|sha256" -> fileName(r) + "|" + hex(r, 64);
            case "filename|md5" -> fileName(r) + "|" + hex(r, 32);
            case "domain|ip" -> domain(r) + "|" + ipv4(r);
            case "ip-dst|port" -> ipv4(r) + "|" + (r.nextBoolean() ? 443 : 1024 + r.nextInt(60_000));
            case "email-src" -> word(r) + r.nextInt(1000) + "@" + DOMAINS[r.nextInt(DOMAINS.length)];
            case "email-subject" -> "Invoice " + r.nextInt(100_000) + " overdue";
            case "mutex" -> "Global\\MTX_" + hex(r, 8);
            case "regkey" -> "HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\" + word(r) + r.nextInt(1000);
            case "AS" -> "AS" + (64_496 + r.nextInt(16));
            case "link" -> "https://blog.example.org/report-" + r.nextInt(100_000);
            case "vulnerability" -> "CVE-20" + (18 + r.nextInt(8)) + "-" + (1000 + r.nextInt(60_000));
            case "text" -> "Actor alias " + word(r) + "-" + r.nextInt(100);
            default -> "Observed in campaign " + r.nextInt(1000);
        };
    }

    private static String ip(SplittableRandom r) {
        return r.nextInt(5) == 0 ? "2001:db8:" + Integer.toHexString(r.nextInt(0x10000)) + "::" + Integer.toHexString(1 + r.nextInt(0xfffe))
                : ipv4(r);
    }

    private static String ipv4(SplittableRandom r) {
        return (r.nextBoolean() ? "198.51.100." : "203.0.113.") + (1 + r.nextInt(254));
    }

    private static String domain(SplittableRandom r) {
        return word(r) + "-" + r.nextInt(10_000) + "." + DOMAINS[r.nextInt(DOMAINS.length)];
    }

    private static String fileName(SplittableRandom r) {
        return word(r) + "_" + r.nextInt(10_000) + (r.nextBoolean() ? ".exe" : ".dll");
    }

    private static String word(SplittableRandom r) {
        return WORDS[r.nextInt(WORDS.length)];
    }

    private static String hex(SplittableRandom r, int length) {
        StringBuilder text = new StringBuilder(length + 16);
        while (text.length() < length) {
            String chunk = Long.toHexString(r.nextLong());
            text.append("0".repeat(16 - chunk.length())).append(chunk);
        }
        return text.substring(0, length);
    }

    private static String pick(SplittableRandom r, String[] values, int[] weights) {
        int total = 0;
        for (int weight : weights) {
            total += weight;
        }
        int roll = r.nextInt(total);
        for (int i = 0; i < values.length; i++) {
            roll -= weights[i];
            if (roll < 0) {
                return values[i];
            }
        }
        return values[values.length - 1];
    }

    private static UUID uuid(long high, long low) {
        return new UUID((high & ~0xF000L) | 0x4000L, (low & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L);
    }

    /** SplitMix64's finaliser: neighbouring ids get unrelated streams. */
    static long mix(long seed, long value) {
        long z = seed * 0x9E37_79B9_7F4A_7C15L + value * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }
}
