package org.mispsentinel.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.mispsentinel.standin.InMemoryMispDataset;
import org.mispsentinel.standin.MispDataset;
import org.mispsentinel.standin.SearchFilters;

/**
 * A live MISP seen through the stand-in: {@code change} is applied to the data before the
 * {@code onRequest}-th page is served (before every page when 0), as edits land between two pages.
 */
final class LiveDataset implements MispDataset {
    private final InMemoryMispDataset data;
    private final int onRequest;
    private final Consumer<InMemoryMispDataset> change;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile boolean paused;

    LiveDataset(InMemoryMispDataset data, int onRequest, Consumer<InMemoryMispDataset> change) {
        this.data = data;
        this.onRequest = onRequest;
        this.change = change;
    }

    /** No more changes from now on. */
    void pause() {
        paused = true;
    }

    @Override
    public int size(SearchFilters query) {
        return data.size(query);
    }

    @Override
    public Stream<ObjectNode> page(SearchFilters query, long offset, int limit) {
        int n = requests.incrementAndGet();
        if (!paused && (onRequest == 0 || n == onRequest)) {
            change.accept(data);
        }
        return data.page(query, offset, limit);
    }

    @Override
    public boolean onWarninglist(ObjectNode attribute) {
        return data.onWarninglist(attribute);
    }
}
