package org.mispsentinel.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.mispsentinel.state.RealPostgres;

class SharedStateReportTest {

    @RegisterExtension
    static final RealPostgres.Database DB = RealPostgres.database();

    @TempDir
    Path temp;

    @Test
    void reportReadsThePasswordOfTheStateDatabaseFromTheFileStateJdbcPasswordFileNamesAndNeverPrintsIt()
            throws Exception {
        Path password = Files.writeString(temp.resolve("state-jdbc-password"), DB.password() + "\n");
        Properties settings = new Properties();
        settings.setProperty("state.dir", temp.resolve("state").toString());
        settings.setProperty("state.store", "postgresql");
        settings.setProperty("state.jdbc-url", DB.jdbcUrl());
        settings.setProperty("state.jdbc-user", DB.user());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = Launcher.run(new String[] {"--report"}, settings,
                Map.of("STATE_JDBC_PASSWORD_FILE", password.toString()), Clock.systemUTC(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        String printed = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(printed).isZero();
        assertThat(printed).contains("workspace default (PostgreSQL " + DB.jdbcUrl() + ")", "no instance yet")
                .doesNotContain(DB.password());
    }

    @Test
    void aPostgresqlStoreWithoutItsDatabaseStopsTheStartWithExit2NamingTheSetting() {
        Properties settings = new Properties();
        settings.setProperty("state.store", "postgresql");
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = Launcher.run(new String[] {"--report"}, settings, Map.of(), Clock.systemUTC(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("state.jdbc-url (STATE_JDBC_URL)");
    }
}
