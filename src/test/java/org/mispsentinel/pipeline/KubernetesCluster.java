package org.mispsentinel.pipeline;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.mispsentinel.launcher.Application;
import org.mispsentinel.state.RealPostgres;

/**
 * Several instances of the real application (camel-main, the YAML routes, the real beans), each a
 * Camel context of its own with Camel's Kubernetes cluster service (its own Kubernetes clients,
 * connection pool and state directory), sharing one Kubernetes API: fabric8's mock server in CRUD
 * mode, in this process, on loopback, which stores the Lease objects the instances create and update
 * and lists the pods by label. There is no kubelet: the test creates the pod of each instance (the
 * service counts as members the pods that carry the cluster labels, and takes no lease while its
 * own pod is not among them), as a Deployment's replica set would. An instance stopped stops as a
 * crash would for its leases: Camel's leadership controller stops renewing them and does not give them
 * back, so they lapse after their duration; its pod stays (the kubelet restarts a crashed container in
 * the same pod).
 */
final class KubernetesCluster extends TestCluster {

    static final String NAMESPACE = "misp";
    static final Map<String, String> LABELS = Map.of("app.kubernetes.io/name", "misp-sentinel");
    /** How long a lease lasts without renewal: an instance that stops renewing loses its workspaces after it. */
    static final long LEASE_MS = 3_000;

    final KubernetesMockServer kubernetes;
    /** the test's own client: pods and leases as an operator's kubectl sees them */
    final KubernetesClient kubectl;

    /** @param prefix the workspaces' names: prefix and a number (tests sharing a database keep apart) */
    KubernetesCluster(Path temp, RealPostgres.Database database, String prefix, int workspaces) throws Exception {
        super(temp, database, prefix, workspaces);
        this.kubernetes = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        kubernetes.init(InetAddress.getLoopbackAddress(), 0);
        inCluster(apiUrl());
        this.kubectl = kubernetes.createClient();
    }

    String apiUrl() {
        return "http://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + kubernetes.getPort();
    }

    /**
     * What fabric8's client finds in a pod, given here as its system properties: the API server's
     * address and the namespace (in a pod: the service account's files). The service is configured
     * without masterUrl, as in a pod: with masterUrl, camel-kubernetes 4.18 builds the client's
     * configuration from its own settings alone, and the JDK HttpClient then offers HTTP/2 by an h2c
     * upgrade on plain http, to which the mock server never answers (the real API server speaks
     * https, where HTTP/2 is agreed by ALPN). The mock server's own client disables HTTP/2 likewise.
     */
    private static void inCluster(String apiUrl) {
        System.setProperty("kubernetes.master", apiUrl);
        System.setProperty("kubernetes.namespace", NAMESPACE);
        System.setProperty("kubernetes.http2.disable", "true");
        System.setProperty("kubernetes.auth.tryKubeConfig", "false");
        System.setProperty("kubernetes.auth.tryServiceAccount", "false");
    }

    @Override
    String backendView() {
        return ", leases: " + leaseHolders();
    }

    @Override
    Properties settings(String instance) {
        // the instance's name is also its pod's
        Properties p = sharedSettings(instance);
        // Camel's own bean settings: the Kubernetes cluster service, as docs/deployment.md shows them
        p.setProperty("camel.beans.clusterService",
                "#class:org.apache.camel.component.kubernetes.cluster.KubernetesClusterService");
        p.setProperty("camel.beans.clusterService.podName", instance);
        LABELS.forEach((k, v) -> p.setProperty("camel.beans.clusterService.clusterLabels[" + k + "]", v));
        p.setProperty("camel.beans.clusterService.leaseDurationMillis", String.valueOf(LEASE_MS));
        p.setProperty("camel.beans.clusterService.renewDeadlineMillis", "2000");
        p.setProperty("camel.beans.clusterService.retryPeriodMillis", "400");
        return p;
    }

    /**
     * The pod an instance runs in, as the replica set creates it and the kubelet reports it: running and
     * ready. Camel's service counts as members only running pods (fabric8's PodStatusUtil.isRunning, which
     * fails on a pod without a status), and a lease whose holder is not among them is free to take.
     */
    void createPod(String instance) {
        kubectl.pods().inNamespace(NAMESPACE).resource(new PodBuilder().withNewMetadata().withName(instance)
                .withNamespace(NAMESPACE).withLabels(LABELS).endMetadata()
                .withNewStatus().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .addNewContainerStatus().withName("misp-sentinel").withReady(true)
                .withNewState().withNewRunning().endRunning().endState().endContainerStatus()
                .endStatus().build()).create();
    }

    void deletePod(String instance) {
        kubectl.pods().inNamespace(NAMESPACE).withName(instance).delete();
    }

    /** In its pod, which the test may have made already. */
    @Override
    Application start(String instance) throws Exception {
        if (kubectl.pods().inNamespace(NAMESPACE).withName(instance).get() == null) {
            createPod(instance);
        }
        return super.start(instance);
    }

    /** The holder each workspace's Lease names in the API server. */
    Map<String, String> leaseHolders() {
        Map<String, String> holders = new LinkedHashMap<>();
        kubectl.leases().inNamespace(NAMESPACE).list().getItems().forEach(lease ->
                holders.put(lease.getMetadata().getName(), lease.getSpec().getHolderIdentity()));
        return holders;
    }

    @Override
    void closeBackend() {
        kubectl.close();
        kubernetes.destroy();
    }
}
