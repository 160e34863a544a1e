package org.mispsentinel.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RealPostgresTest {

    @RegisterExtension
    static final RealPostgres.Database DB = RealPostgres.database();

    @Test
    void eachTestClassGetsAnEmptyDatabaseOfItsOwnReachedOverLoopbackWithAPassword() throws Exception {
        try (Connection c = java.sql.DriverManager.getConnection(DB.jdbcUrl(), DB.user(), DB.password());
             ResultSet r = c.createStatement().executeQuery(
                     "SELECT current_database(), inet_server_addr()::text, "
                             + "(SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public')")) {
            r.next();
            assertThat(r.getString(1)).isEqualTo(DB.name()).startsWith("realpostgrestest_");
            assertThat(r.getString(2)).startsWith("127.0.0.1");
            assertThat(r.getLong(3)).isZero();
        }
    }
}
