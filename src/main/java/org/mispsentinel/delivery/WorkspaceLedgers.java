package org.mispsentinel.delivery;

import org.apache.camel.Exchange;
import org.apache.camel.spi.IdempotentRepository;

/**
 * The route's idempotent repository: the ledger of the workspace the exchange is for (its
 * {@value WorkspaceDelivery#PROPERTY} property), so that each workspace keeps its own record of what
 * it was sent. Camel's idempotent consumer always calls the variants that take the exchange.
 */
public final class WorkspaceLedgers implements IdempotentRepository {

    private static DeliveryLedger of(Exchange exchange) {
        return exchange.getProperty(WorkspaceDelivery.PROPERTY, WorkspaceDelivery.class).ledger();
    }

    @Override
    public boolean add(Exchange exchange, String key) {
        return of(exchange).add(key);
    }

    @Override
    public boolean contains(Exchange exchange, String key) {
        return of(exchange).contains(key);
    }

    @Override
    public boolean remove(Exchange exchange, String key) {
        return of(exchange).remove(key);
    }

    /** Deliberately a no-op: reaching the end of the split proves nothing; the ledger's settle decides. */
    @Override
    public boolean confirm(Exchange exchange, String key) {
        return true;
    }

    @Override
    public boolean add(String key) {
        throw new UnsupportedOperationException("needs the exchange, which names the workspace");
    }

    @Override
    public boolean contains(String key) {
        throw new UnsupportedOperationException("needs the exchange, which names the workspace");
    }

    @Override
    public boolean remove(String key) {
        throw new UnsupportedOperationException("needs the exchange, which names the workspace");
    }

    @Override
    public boolean confirm(String key) {
        throw new UnsupportedOperationException("needs the exchange, which names the workspace");
    }

    @Override
    public void clear() {
        // each ledger forgets its in-flight keys at the end of the cycle (SyncCycle)
    }

    @Override
    public void start() {
    }

    @Override
    public void stop() {
    }
}
