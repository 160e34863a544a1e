import java.io.File;
import java.util.concurrent.CountDownLatch;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

/**
 * A ZooKeeper for bench/run scaleout: Curator's TestingServer (the one ZooKeeperOwnershipTest runs
 * in-process, from the test class path) on a free loopback port, with its data in DIR. Prints
 * {@code ZOOKEEPER READY port=N} and runs until SIGTERM. No Debian ZooKeeper package is needed.
 *
 * <pre>java -cp TEST_CLASS_PATH bench/ZooKeeperMain.java DIR</pre>
 */
public final class ZooKeeperMain {

    private ZooKeeperMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: ZooKeeperMain DIR");
            System.exit(2);
        }
        // ZooKeeper's own defaults (tick 2 s: sessions of 4 s to 40 s), as a small ensemble would run
        TestingServer server = new TestingServer(new InstanceSpec(new File(args[0]), -1, -1, -1, true, -1, -1, -1), true);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                System.err.println("zookeeper: " + e.getMessage());
            }
            stopped.countDown();
        }, "zookeeper-stop"));
        System.out.println("ZOOKEEPER READY port=" + server.getPort());
        System.out.flush();
        stopped.await();
    }
}
