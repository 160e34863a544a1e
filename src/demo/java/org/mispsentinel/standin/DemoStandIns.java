package org.mispsentinel.standin;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import org.mispsentinel.launcher.DemoEstate;

/** The stand-ins as {@code --demo} runs them: one synthetic MISP, one app registration, one workspace. */
public final class DemoStandIns implements DemoEstate {

    /** Fixed, so that every demo shows the same numbers. */
    private static final long SEED = 42;

    private StandIns standIns;

    @Override
    public void start(int attributes) {
        standIns = StandIns.builder().dataset(new SyntheticDataset(SEED, attributes)).start();
    }

    @Override
    public Properties settings(Path dir) {
        return standIns.properties(StandInTls.writeTrustStore(dir));
    }

    @Override
    public String mispUrl() {
        return standIns.misp().baseUrl();
    }

    @Override
    public int indicatorsHeld() {
        return standIns.sentinel().acceptedCount();
    }

    @Override
    public int uploadRequests() {
        return standIns.sentinel().requests();
    }

    @Override
    public int tokensIssued() {
        return standIns.entra().tokenRequests();
    }

    @Override
    public Optional<JsonNode> anyIndicator() {
        return standIns.sentinel().accepted().values().stream().findFirst();
    }

    @Override
    public void close() {
        if (standIns != null) {
            standIns.close();
        }
    }
}
