package org.mispsentinel.delivery;

/** How many workspaces one instance may own among several: all of them divided by the instances, rounded up. */
final class FairShare {

    private FairShare() {
    }

    static int of(int workspaces, int instances) {
        int n = Math.max(1, instances);
        return (workspaces + n - 1) / n;
    }
}
