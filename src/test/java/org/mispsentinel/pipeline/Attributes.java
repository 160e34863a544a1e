package org.mispsentinel.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.mispsentinel.standin.InMemoryMispDataset;
import org.mispsentinel.standin.MispAttributes;

/** Test data: MISP attributes with values from documentation ranges. */
final class Attributes {

    static final long T0 = 1_700_000_000L;

    private Attributes() {
    }

    /** {@code count} detection attributes of three types, and every fourth one without to_ids. */
    static List<String> addMix(InMemoryMispDataset dataset, int count) {
        List<String> toIdsUuids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String uuid = UUID.nameUUIDFromBytes(("attr-" + i).getBytes()).toString();
            boolean toIds = i % 4 != 3;
            String type = switch (i % 3) {
                case 0 -> "ip-dst";
                case 1 -> "domain";
                default -> "sha256";
            };
            String value = switch (type) {
                case "ip-dst" -> "198.51." + (i / 250) + "." + (i % 250);
                case "domain" -> "host" + i + ".example.org";
                default -> String.format("%064x", i + 1);
            };
            dataset.add(MispAttributes.attribute(type, value).uuid(uuid).toIds(toIds).timestamp(T0 + i));
            if (toIds) {
                toIdsUuids.add(uuid);
            }
        }
        return toIdsUuids;
    }

    static String indicatorId(String uuid) {
        return "indicator--" + uuid;
    }

    static List<String> indicatorIds(List<String> uuids) {
        return uuids.stream().map(Attributes::indicatorId).toList();
    }
}
