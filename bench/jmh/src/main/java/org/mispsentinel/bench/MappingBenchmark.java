package org.mispsentinel.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.mispsentinel.misp.MispAttribute;
import org.mispsentinel.misp.MispPage;
import org.mispsentinel.misp.MispPageReader;
import org.mispsentinel.misp.MispRecord;
import org.mispsentinel.standin.SyntheticDataset;
import org.mispsentinel.stix.MappingOptions;
import org.mispsentinel.stix.MappingResult;
import org.mispsentinel.stix.StixMapper;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The MISP-to-STIX mapper alone: one operation maps {@value #BATCH} attributes, so the score is
 * reported per attribute ({@link OperationsPerInvocation}) as attributes per second, one thread.
 *
 * <p>The attributes are the ones the benchmark's MISP stand-in serves: {@link SyntheticDataset}
 * (the same type mix, tags, first/last seen, objects), turned into {@link MispAttribute} records by
 * the product's own page reader, so the mapper sees exactly what it sees in the pipeline. Parsing
 * happens once in {@link #setUp()}, outside the measurement.
 *
 * <ul>
 *   <li>{@code mix=to_ids}: only the to_ids attributes, what the pipeline maps with the default
 *       misp.to-ids-only=true (every one becomes at least one indicator).</li>
 *   <li>{@code mix=all}: the whole dataset, 35% non-to_ids context (comment, text, link...), which the
 *       mapper mostly skips: the mix when misp.to-ids-only=false (the routes then drop non-to_ids
 *       before mapping, so this is an upper bound on what the mapper is asked).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 2, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
public class MappingBenchmark {

    static final int BATCH = 10_000;

    @Param({"to_ids", "all"})
    public String mix;

    private MispAttribute[] attributes;
    private StixMapper mapper;

    @Setup(Level.Trial)
    public void setUp() {
        mapper = new StixMapper(MappingOptions.defaults());
        attributes = attributes(mix.equals("to_ids"), BATCH).toArray(MispAttribute[]::new);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void map(Blackhole blackhole) {
        StixMapper m = mapper;
        for (MispAttribute attribute : attributes) {
            MappingResult result = m.map(attribute);
            blackhole.consume(result);
        }
    }

    /** {@code count} attributes of the synthetic MISP, parsed as the product parses a page. */
    static List<MispAttribute> attributes(boolean toIdsOnly, int count) {
        SyntheticDataset dataset = new SyntheticDataset(1, count * 2);
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ArrayNode array = root.putObject("response").putArray("Attribute");
        int added = 0;
        for (long id = 1; added < count; id++) {
            if (toIdsOnly && !dataset.toIds(id)) {
                continue;
            }
            array.add(dataset.attribute(id));
            added++;
        }
        byte[] json = root.toString().getBytes(StandardCharsets.UTF_8);
        MispPage page = new MispPageReader().read(200, "application/json", Integer.toString(count),
                new ByteArrayInputStream(json));
        List<MispAttribute> out = new ArrayList<>(count);
        for (MispRecord record : page.records()) {
            if (record instanceof MispAttribute attribute) {
                out.add(attribute);
            } else {
                throw new IllegalStateException("synthetic attribute did not parse: " + record);
            }
        }
        return out;
    }
}
