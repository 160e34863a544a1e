package org.mispsentinel.delivery;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The ledger on a real state file of its own for each test, which a test can close and open again. */
abstract class StateFileTest {

    static final int CAPACITY = 1000;

    @TempDir
    Path dir;

    StateStore store;
    DeliveryLedger ledger;

    @BeforeEach
    void open() {
        store = StateStore.open(dir);
        ledger = new DeliveryLedger(store, CAPACITY);
    }

    @AfterEach
    void close() {
        store.close();
    }

    DeliveryLedger reopened() {
        store.close();
        store = StateStore.open(dir);
        return new DeliveryLedger(store, CAPACITY);
    }
}
