package org.mispsentinel.launcher.logging;

import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import java.util.Arrays;
import org.mispsentinel.config.Redaction;

/** An exception as logged, its messages and those of its causes with every known secret value masked. */
final class MaskedThrowable implements IThrowableProxy {

    private final IThrowableProxy proxy;

    private MaskedThrowable(IThrowableProxy proxy) {
        this.proxy = proxy;
    }

    static IThrowableProxy of(IThrowableProxy proxy) {
        return proxy == null ? null : new MaskedThrowable(proxy);
    }

    @Override
    public String getMessage() {
        return Redaction.apply(proxy.getMessage());
    }

    @Override
    public String getOverridingMessage() {
        return Redaction.apply(proxy.getOverridingMessage());
    }

    @Override
    public String getClassName() {
        return proxy.getClassName();
    }

    @Override
    public StackTraceElementProxy[] getStackTraceElementProxyArray() {
        return proxy.getStackTraceElementProxyArray();
    }

    @Override
    public int getCommonFrames() {
        return proxy.getCommonFrames();
    }

    @Override
    public IThrowableProxy getCause() {
        // a cyclic chain is cut by the proxy itself, which answers null where it would repeat
        return of(proxy.getCause());
    }

    @Override
    public IThrowableProxy[] getSuppressed() {
        IThrowableProxy[] suppressed = proxy.getSuppressed();
        return suppressed == null ? null : Arrays.stream(suppressed).map(MaskedThrowable::of)
                .toArray(IThrowableProxy[]::new);
    }

    @Override
    public boolean isCyclic() {
        return proxy.isCyclic();
    }
}
