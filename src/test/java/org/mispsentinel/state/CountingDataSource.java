package org.mispsentinel.state;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * A DataSource that counts the round trips its connections make: each statement executed (a batch
 * counts once, as the driver sends it in one go), each commit and each rollback.
 */
final class CountingDataSource {

    private static final Set<String> EXECUTIONS = Set.of("execute", "executeQuery", "executeUpdate", "executeBatch",
            "executeLargeUpdate", "executeLargeBatch");

    private final AtomicLong roundTrips = new AtomicLong();
    private final DataSource counted;

    CountingDataSource(DataSource target) {
        this.counted = proxy(DataSource.class, target);
    }

    DataSource dataSource() {
        return counted;
    }

    long roundTrips() {
        return roundTrips.get();
    }

    private <T> T proxy(Class<T> type, Object target) {
        InvocationHandler handler = (proxy, method, args) -> {
            String name = method.getName();
            if (EXECUTIONS.contains(name) || (target instanceof Connection && (name.equals("commit")
                    || name.equals("rollback")))) {
                roundTrips.incrementAndGet();
            }
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (result instanceof Connection c) {
                return proxy(Connection.class, c);
            }
            if (result instanceof java.sql.PreparedStatement s) {
                return proxy(java.sql.PreparedStatement.class, s);
            }
            if (result instanceof Statement s) {
                return proxy(Statement.class, s);
            }
            return result;
        };
        return type.cast(Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, handler));
    }
}
