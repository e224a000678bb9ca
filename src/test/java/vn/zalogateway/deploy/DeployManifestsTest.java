package vn.zalogateway.deploy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import vn.zalogateway.message.Dispatcher;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.Management;

/**
 * The Kubernetes manifests in {@code deploy/}, rendered by {@code kubectl kustomize} and read into the
 * fabric8 model, must fit the application they deploy: probe paths that answer, the port it listens
 * on, environment variables it reads, secret keys the deploy README tells operators to create.
 */
@QuarkusTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
class DeployManifestsTest {

    static final Path DEPLOY = Path.of("deploy");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** What the gateway cannot start (or work) without in production. */
    static final Set<String> REQUIRED_ENV = Set.of("QUARKUS_DATASOURCE_REACTIVE_URL",
            "GATEWAY_API_KEY_HASHES", "GATEWAY_ETELECOM_API_KEY", "GATEWAY_ESMS_API_KEY", "GATEWAY_ESMS_SECRET_KEY",
            "GATEWAY_WEBHOOKS_NXCLOUD_SECRET", "GATEWAY_WEBHOOKS_ESMS_SECRET", "GATEWAY_SECRETS_KEY");

    @ParameterizedTest
    @ValueSource(strings = { "production", "cloudnative-pg" })
    void theDeploymentFitsTheApplication(String overlay) throws Exception {
        List<JsonNode> objects = render(overlay);
        Deployment deployment = one(objects, "Deployment", Deployment.class);
        Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();

        assertThat(container.getPorts()).hasSize(2).anySatisfy(port -> {
            assertThat(port.getContainerPort()).isEqualTo(applicationPort());
            assertThat(port.getName()).isEqualTo("http");
        }).anySatisfy(port -> {
            assertThat(port.getContainerPort()).isEqualTo(managementPort());
            assertThat(port.getName()).isEqualTo("management");
        });
        assertProbesAnswer(container.getStartupProbe(), container.getReadinessProbe(), container.getLivenessProbe());
        for (Probe probe : List.of(container.getStartupProbe(), container.getReadinessProbe(), container.getLivenessProbe())) {
            assertThat(probe.getHttpGet().getPort().getStrVal()).as("probes use the management port").isEqualTo("management");
        }
        assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
                .as("Prometheus scrapes the management port").containsEntry("prometheus.io/port", Integer.toString(managementPort()));
        assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/q/health/started");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");

        assertEnvironmentIsKnown(objects, container.getEnv());
        assertSecretKeysAreDocumented(container.getEnv());

        // Hardening and sizing.
        assertThat(container.getSecurityContext().getRunAsNonRoot() != null
                || deployment.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(deployment.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).contains("ALL");
        assertThat(container.getVolumeMounts()).anySatisfy(mount -> assertThat(mount.getMountPath()).isEqualTo("/tmp"));
        assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(container.getResources().getLimits()).containsKey("memory");
        // Graceful shutdown: the pod is given longer than all it may take in turn: the preStop pause, Quarkus
        // finishing requests in flight (quarkus.shutdown.timeout), then the dispatcher's round (its drain).
        long requestsSeconds = ConfigProvider.getConfig().getValue("quarkus.shutdown.timeout", java.time.Duration.class).toSeconds();
        long preStop = container.getLifecycle().getPreStop().getSleep().getSeconds();
        long drainSeconds = Dispatcher.DRAIN_ON_SHUTDOWN.toSeconds();
        assertThat(deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
                .as("grace period > preStop %d s + shutdown %d s + dispatch drain %d s", preStop, requestsSeconds, drainSeconds)
                .isGreaterThan(preStop + requestsSeconds + drainSeconds);

        // The objects around the Deployment point at it and at each other.
        Service service = one(objects, "Service", Service.class);
        assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(service.getSpec().getPorts()).extracting(port -> port.getName() + "->" + port.getTargetPort().getStrVal())
                .containsExactlyInAnyOrder("http->http", "management->management");
        List<Ingress> ingresses = all(objects, "Ingress", Ingress.class);
        assertThat(ingresses).isNotEmpty().allSatisfy(ingress -> {
            assertThat(ingress.getSpec().getTls()).isNotEmpty();
            assertThat(ingress.getSpec().getRules()).allSatisfy(rule -> assertThat(rule.getHttp().getPaths()).allSatisfy(path -> {
                assertThat(path.getBackend().getService().getName()).isEqualTo(service.getMetadata().getName());
                assertThat(path.getBackend().getService().getPort().getName()).as("never the management port").isEqualTo("http");
                // The public surface is the API (/v1/ and under it) and the operator console; nothing that reaches /q/ or the root.
                assertThat(path.getPath()).as("Ingress path").matches("/v1/.*|/console|/console-assets");
                assertThat(path.getPathType()).isEqualTo("Prefix");
            }));
        });
        assertThat(ingresses).as("the webhook paths (their secret in the path) stay out of access logs")
                .anySatisfy(ingress -> {
                    assertThat(ingress.getMetadata().getAnnotations()).containsEntry("nginx.ingress.kubernetes.io/enable-access-log", "false");
                    assertThat(ingress.getSpec().getRules().get(0).getHttp().getPaths()).singleElement()
                            .satisfies(path -> assertThat(path.getPath()).isEqualTo("/v1/webhooks/"));
                });
        assertNetworkPolicy(one(objects, "NetworkPolicy", NetworkPolicy.class), podLabels);
        HorizontalPodAutoscaler hpa = one(objects, "HorizontalPodAutoscaler", HorizontalPodAutoscaler.class);
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo(deployment.getMetadata().getName());
        PodDisruptionBudget pdb = one(objects, "PodDisruptionBudget", PodDisruptionBudget.class);
        assertThat(podLabels).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
        assertThat(hpa.getSpec().getMinReplicas()).isGreaterThan(pdb.getSpec().getMinAvailable().getIntVal());

        assertConnectionsFit(objects, hpa.getSpec().getMaxReplicas());
    }

    /**
     * Every replica the autoscaler may start, with its pool full, and the migration Job still fit in
     * PostgreSQL's connections (less those reserved for superusers).
     */
    private static void assertConnectionsFit(List<JsonNode> objects, int maxReplicas) {
        int job = migrationJobConnections();
        int perPod = configured(objects, "QUARKUS_DATASOURCE_REACTIVE_MAX_SIZE", "quarkus.datasource.reactive.max-size");
        int available = maxConnections(objects) - SUPERUSER_RESERVED_CONNECTIONS;
        assertThat(maxReplicas * perPod + job)
                .as("%d replicas x %d connections + the Job's %d, within PostgreSQL's %d", maxReplicas, perPod, job, available)
                .isLessThanOrEqualTo(available);
    }

    /** The migrations artifact's JDBC pool (src/migrations/application.properties). */
    private static int migrationJobConnections() {
        Properties migrations = new Properties();
        try (var in = Files.newInputStream(Path.of("src/migrations/application.properties"))) {
            migrations.load(in);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return Integer.parseInt(migrations.getProperty("quarkus.datasource.jdbc.max-size"));
    }

    /** PostgreSQL's default, and what a managed server starts with unless deploy/README.md's sizing is followed. */
    static final int DEFAULT_MAX_CONNECTIONS = 100;
    static final int SUPERUSER_RESERVED_CONNECTIONS = 3;

    /** max_connections of the overlay's own PostgreSQL (cloudnative-pg), else PostgreSQL's default. */
    private static int maxConnections(List<JsonNode> objects) {
        return objects.stream().filter(o -> "Cluster".equals(o.path("kind").asText()))
                .map(o -> o.at("/spec/postgresql/parameters/max_connections").asText(""))
                .filter(value -> !value.isEmpty()).map(Integer::parseInt).findFirst().orElse(DEFAULT_MAX_CONNECTIONS);
    }

    /** A setting as the pods get it: the ConfigMap's value, else the application's own. */
    private static int configured(List<JsonNode> objects, String variable, String property) {
        return objects.stream().filter(o -> "ConfigMap".equals(o.path("kind").asText()))
                .map(o -> o.path("data").path(variable).asText("")).filter(value -> !value.isEmpty())
                .map(Integer::parseInt).findFirst()
                .orElseGet(() -> ConfigProvider.getConfig().getValue(property, Integer.class));
    }

    @Test
    void cloudNativePgSuppliesTheDatabaseSecret() throws Exception {
        List<JsonNode> objects = render("cloudnative-pg");
        JsonNode cluster = objects.stream().filter(o -> "Cluster".equals(o.path("kind").asText())).findFirst().orElseThrow();
        String operatorSecret = cluster.path("metadata").path("name").asText() + "-app";
        Container container = one(objects, "Deployment", Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getEnv().stream().filter(env -> env.getName().startsWith("QUARKUS_DATASOURCE_"))
                .map(env -> env.getValueFrom().getSecretKeyRef().getName())).containsOnly(operatorSecret);
    }

    @Test
    void theKnativeServiceScalesToZeroAndFitsTheApplication() throws Exception {
        List<JsonNode> objects = render("knative");
        assertThat(objects.stream().map(o -> o.path("kind").asText()))
                .doesNotContain("Deployment", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Ingress");
        JsonNode service = objects.stream().filter(o -> o.path("apiVersion").asText().startsWith("serving.knative.dev/"))
                .findFirst().orElseThrow();
        assertThat(service.at("/spec/template/metadata/annotations/autoscaling.knative.dev~1min-scale").asText()).isEqualTo("0");
        assertConnectionsFit(objects,
                Integer.parseInt(service.at("/spec/template/metadata/annotations/autoscaling.knative.dev~1max-scale").asText()));
        Container container = servingContainer(objects);
        assertThat(container.getPorts()).singleElement()
                .satisfies(port -> assertThat(port.getContainerPort()).isEqualTo(applicationPort()));
        // Knative probes only the serving port, which does not serve health: its own TCP check applies.
        assertThat(container.getReadinessProbe()).isNull();
        assertThat(container.getLivenessProbe()).isNull();
        assertThat(container.getStartupProbe()).isNull();
        assertEnvironmentIsKnown(objects, container.getEnv());
        assertSecretKeysAreDocumented(container.getEnv());
        assertThat(container.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    }

    /**
     * The Knative overlay keeps the base's NetworkPolicy, its ingress rewritten for Knative's data path: the pods are
     * reached on queue-proxy's port from Knative's own namespace and the networking layer's gateway, the management
     * port from monitoring, and never the gateway's port directly (queue-proxy reaches it inside the pod). Out: the base's.
     */
    @Test
    void theKnativeOverlayKeepsANetworkPolicyForKnativesDataPath() throws Exception {
        List<JsonNode> objects = render("knative");
        NetworkPolicy policy = one(objects, "NetworkPolicy", NetworkPolicy.class);
        JsonNode service = objects.stream().filter(o -> o.path("apiVersion").asText().startsWith("serving.knative.dev/"))
                .findFirst().orElseThrow();
        Map<String, String> podLabels = YAML.convertValue(service.at("/spec/template/metadata/labels"),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() { });
        assertThat(podLabels).as("the policy selects the Knative Service's pods")
                .containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
        assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");

        Map<String, Set<Integer>> portsByNamespace = new java.util.TreeMap<>();
        policy.getSpec().getIngress().forEach(rule -> {
            assertThat(rule.getFrom()).as("every rule names who may connect").isNotEmpty();
            rule.getFrom().forEach(peer -> {
                assertThat(peer.getIpBlock()).isNull();
                assertThat(peer.getPodSelector()).isNull();
                String namespace = peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name");
                assertThat(rule.getPorts()).as("rule for %s names its ports", namespace).isNotEmpty();
                rule.getPorts().forEach(port -> portsByNamespace.computeIfAbsent(namespace, n -> new TreeSet<>())
                        .add(port.getPort().getIntVal()));
            });
        });
        assertThat(portsByNamespace).as("activator and autoscaler: queue-proxy's traffic and metrics ports")
                .containsEntry("knative-serving", Set.of(KNATIVE_QUEUE_PROXY_PORT, KNATIVE_QUEUE_PROXY_METRICS_PORT))
                .containsEntry("monitoring", Set.of(managementPort()));
        assertThat(portsByNamespace).as("the networking layer's gateway reaches queue-proxy")
                .hasEntrySatisfying("kourier-system", ports -> assertThat(ports).containsExactly(KNATIVE_QUEUE_PROXY_PORT))
                .hasSize(3);
        assertThat(portsByNamespace.values().stream().flatMap(Set::stream).toList())
                .as("the gateway's own port is reached through queue-proxy only").doesNotContain(applicationPort());

        NetworkPolicy base = one(render("../base"), "NetworkPolicy", NetworkPolicy.class); // deploy/base itself
        assertThat(policy.getSpec().getEgress()).as("egress as the base's").isEqualTo(base.getSpec().getEgress());
    }

    /** queue-proxy's HTTP/1 port (Knative's BackendHTTPPort), and the one its autoscaling metrics are read on. */
    static final int KNATIVE_QUEUE_PROXY_PORT = 8012;
    static final int KNATIVE_QUEUE_PROXY_METRICS_PORT = 9090;

    /**
     * The webhooks' paths carry their secret. The base keeps them out of the ingress controller's access log (their
     * own Ingress, access log off); with Knative, Kourier's gateway logs every path unless told otherwise, which
     * deploy/overlays/knative/kourier-access-log.yaml does: applied as deploy/README.md says to a config-kourier
     * like Knative's, the gateway logs no path (or nothing).
     */
    @Test
    void theKnativeOverlayKeepsWebhookSecretsOutOfAccessLogs() throws Exception {
        Path patch = DEPLOY.resolve("overlays/knative/kourier-access-log.yaml");
        String guide = Files.readString(DEPLOY.resolve("README.md"), StandardCharsets.UTF_8);
        assertThat(guide).as("deploy/README.md tells how to apply it")
                .contains("kubectl -n knative-serving patch configmap config-kourier --type merge --patch-file " + patch);

        Path live = Files.createTempFile("config-kourier", ".yaml");
        try {
            Files.writeString(live, """
                    apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: config-kourier, namespace: knative-serving}
                    data:
                      _example: |
                        enable-service-access-logging: "true"
                    """, StandardCharsets.UTF_8);
            Process process = new ProcessBuilder(kubectl().toString(), "patch", "--local", "-f", live.toString(),
                    "--type", "merge", "--patch-file", patch.toString(), "-o", "json").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(output).isZero();
            JsonNode data = new ObjectMapper().readTree(output).path("data");
            boolean logging = !"false".equals(data.path("enable-service-access-logging").asText("true"));
            if (logging) {
                String format = data.path("service-access-log-template").asText("");
                // Kourier falls back to Envoy's default format, which logs the path, when this is empty.
                assertThat(format).as("Kourier's access-log format").isNotBlank().endsWith("\n")
                        .doesNotContainIgnoringCase("PATH").doesNotContainIgnoringCase("REQ_WITHOUT_QUERY")
                        .doesNotContainIgnoringCase("REFERER");
            }
        } finally {
            Files.deleteIfExists(live);
        }
        assertThat(render("knative").stream().map(o -> o.path("metadata").path("name").asText()))
                .as("a setting of the cluster's Knative, not a resource of this namespace").doesNotContain("config-kourier");
    }

    /**
     * Third-party images run as the digest that was reviewed, not whatever their tag points at today: every image a
     * manifest names (containers, and the PostgreSQL of cloudnative-pg) and every base image of src/main/docker is
     * {@code name:tag@sha256:<digest>}. Our own images are named by tag in the base; the deployer pins them by digest
     * (deploy/README.md, "Images").
     */
    @Test
    void everyThirdPartyImageIsPinnedByDigest() throws Exception {
        java.util.regex.Pattern pinned = java.util.regex.Pattern.compile("[^@\\s]+:[^@/\\s]+@sha256:[0-9a-f]{64}");
        Set<String> manifestImages = new TreeSet<>();
        for (String overlay : List.of("production", "cloudnative-pg", "knative")) {
            render(overlay).forEach(object -> collectImages(object, manifestImages));
        }
        assertThat(manifestImages).as("the manifests name our images").anyMatch(image -> image.startsWith(OWN_IMAGES));
        assertThat(manifestImages).as("the manifests name a third-party image (cloudnative-pg's PostgreSQL)")
                .anyMatch(image -> !image.startsWith(OWN_IMAGES));
        assertThat(manifestImages.stream().filter(image -> !image.startsWith(OWN_IMAGES)))
                .as("third-party images in deploy/").allSatisfy(image -> assertThat(image).matches(pinned));

        Set<String> unpinned = new TreeSet<>();
        try (var dockerfiles = Files.list(Path.of("src/main/docker"))) {
            for (Path dockerfile : dockerfiles.filter(f -> f.getFileName().toString().startsWith("Dockerfile")).toList()) {
                List<String> bases = Files.readAllLines(dockerfile, StandardCharsets.UTF_8).stream()
                        .map(String::strip).filter(line -> line.regionMatches(true, 0, "FROM ", 0, 5))
                        .map(line -> line.substring(5).strip().split("\\s+")[0]).toList();
                assertThat(bases).as("%s has a base image", dockerfile).isNotEmpty();
                bases.stream().filter(base -> !pinned.matcher(base).matches()).forEach(unpinned::add);
            }
        }
        assertThat(unpinned).as("base images not pinned by digest (pin them, then drop them from AWAITING_DIGEST)")
                .isEqualTo(AWAITING_DIGEST);
    }

    /** Our own images: the deployer sets their tag or digest (kustomize images:). */
    static final String OWN_IMAGES = "ghcr.io/zalo-gateway/";

    /**
     * Base images still to pin: no container registry could be reached where their digests were to be read (each
     * Dockerfile says how to pin it). The list can only shrink: a pinned image left here fails the test.
     */
    static final Set<String> AWAITING_DIGEST = Set.of("eclipse-temurin:25-jre-ubi9-minimal",
            "quay.io/quarkus/ubi9-quarkus-micro-image:2.0");

    /** Every {@code image} and {@code imageName} value anywhere in a rendered object. */
    private static void collectImages(JsonNode node, Set<String> images) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                if ((field.getKey().equals("image") || field.getKey().equals("imageName")) && field.getValue().isTextual()) {
                    images.add(field.getValue().asText());
                } else {
                    collectImages(field.getValue(), images);
                }
            });
        } else if (node.isArray()) {
            node.forEach(element -> collectImages(element, images));
        }
    }

    /**
     * Migrations run once per rollout in a Job of the migrations image (src/migrations), with the serving
     * pods' database secret and nothing else; the serving pods have no JDBC setting at all.
     */
    @ParameterizedTest
    @ValueSource(strings = { "production", "cloudnative-pg", "knative" })
    void aJobMigratesWithTheMigrationsImageAndOnlyTheDatabaseSecret(String overlay) throws Exception {
        List<JsonNode> objects = render(overlay);
        PodSpec job = YAML.convertValue(one(objects, "Job", JsonNode.class).at("/spec/template/spec"), PodSpec.class);
        assertThat(job).as("the Job's pod").isNotNull();
        Container migrate = job.getContainers().get(0);
        Container serving = servingContainer(objects);
        assertThat(migrate.getImage()).startsWith("ghcr.io/zalo-gateway/zalo-gateway-migrations:");

        assertThat(migrate.getEnv()).as("only secrets").allSatisfy(env -> assertThat(env.getValueFrom()).isNotNull());
        assertThat(migrate.getEnv()).extracting(EnvVar::getName).containsExactlyInAnyOrder("QUARKUS_DATASOURCE_JDBC_URL",
                "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD");
        String databaseSecret = secretOf(serving, "QUARKUS_DATASOURCE_REACTIVE_URL").getName();
        assertThat(secretOf(migrate, "QUARKUS_DATASOURCE_JDBC_URL").getName()).isEqualTo(databaseSecret);
        assertThat(secretOf(migrate, "QUARKUS_DATASOURCE_JDBC_URL").getKey()).isEqualTo("jdbc-uri");
        for (String same : List.of("QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD")) {
            assertThat(secretOf(migrate, same)).as("the Job reads %s as the serving pods do", same)
                    .usingRecursiveComparison().isEqualTo(secretOf(serving, same));
        }
        assertThat(serving.getEnv()).extracting(EnvVar::getName).doesNotContain("QUARKUS_DATASOURCE_JDBC_URL");

        assertThat(job.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(migrate.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(migrate.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(migrate.getResources().getLimits()).containsKey("memory");

        ConfigMap settings = one(objects, "ConfigMap", ConfigMap.class);
        assertThat(settings.getData()).doesNotContainKey("QUARKUS_FLYWAY_MIGRATE_AT_START");
    }

    private static io.fabric8.kubernetes.api.model.SecretKeySelector secretOf(Container container, String name) {
        return container.getEnv().stream().filter(env -> env.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " has no " + name))
                .getValueFrom().getSecretKeyRef();
    }

    /** The container that serves traffic: the Deployment's, or the Knative Service's. */
    private static Container servingContainer(List<JsonNode> objects) {
        return objects.stream().filter(o -> o.path("apiVersion").asText().startsWith("serving.knative.dev/")).findFirst()
                .map(service -> YAML.convertValue(service.at("/spec/template/spec/containers/0"), Container.class))
                .orElseGet(() -> one(objects, "Deployment", Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0));
    }

    /** Each probe's path answers 200 on the running application's management port, and 404 on the public one. */
    private static void assertProbesAnswer(Probe... probes) {
        for (Probe probe : probes) {
            assertThat(probe).isNotNull();
            Management.given().when().get(probe.getHttpGet().getPath()).then().statusCode(200);
            given().when().get(probe.getHttpGet().getPath()).then().statusCode(404);
        }
    }

    /**
     * Every variable the manifests set (ConfigMap keys and the container's own) is one the application
     * reads, and every setting it cannot run without is there.
     */
    private static void assertEnvironmentIsKnown(List<JsonNode> objects, List<EnvVar> containerEnv) {
        Set<String> set = new TreeSet<>();
        containerEnv.forEach(env -> set.add(env.getName()));
        objects.stream().filter(o -> "ConfigMap".equals(o.path("kind").asText()))
                .map(o -> YAML.convertValue(o, ConfigMap.class))
                .forEach(map -> set.addAll(map.getData().keySet()));
        assertThat(set).as("variables the application does not read").isSubsetOf(knownEnvironment());
        assertThat(set).containsAll(REQUIRED_ENV);
    }

    /** Properties with a value here, and those docs/CONFIGURATION.md documents (a password has none in tests). */
    private static Set<String> knownEnvironment() {
        Set<String> known = new HashSet<>(documentedEnvironment());
        for (String property : ConfigProvider.getConfig().getPropertyNames()) {
            known.add(environmentName(property));
        }
        return known;
    }

    /** Every secret key the manifests reference is one deploy/README.md tells operators to create. */
    private static void assertSecretKeysAreDocumented(List<EnvVar> containerEnv) throws IOException {
        String guide = Files.readString(DEPLOY.resolve("README.md"), StandardCharsets.UTF_8);
        for (EnvVar env : containerEnv) {
            if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                String key = env.getValueFrom().getSecretKeyRef().getKey();
                assertThat(guide).as("deploy/README.md documents secret key %s", key).contains("`" + key + "`");
            }
        }
    }

    /** The environment variables docs/CONFIGURATION.md names (its tables' second column). */
    private static Set<String> documentedEnvironment() {
        try {
            Set<String> names = new HashSet<>();
            java.util.regex.Matcher name = java.util.regex.Pattern.compile("`([A-Z][A-Z0-9_]+)`")
                    .matcher(Files.readString(Path.of("docs/CONFIGURATION.md"), StandardCharsets.UTF_8));
            while (name.find()) {
                names.add(name.group(1));
            }
            return names;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The environment variable MicroProfile Config maps to a property name. */
    static String environmentName(String property) {
        StringBuilder name = new StringBuilder();
        for (char c : property.toCharArray()) {
            name.append(Character.isLetterOrDigit(c) ? Character.toUpperCase(c) : '_');
        }
        return name.toString();
    }

    private static <T> List<T> all(List<JsonNode> objects, String kind, Class<T> type) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).map(o -> YAML.convertValue(o, type)).toList();
    }

    /**
     * The API port open to the ingress controller's namespace only, the management port to the monitoring
     * namespace only; out: DNS, PostgreSQL and HTTPS (to public addresses), nothing else.
     */
    private static void assertNetworkPolicy(NetworkPolicy policy, Map<String, String> podLabels) {
        assertThat(podLabels).containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
        assertThat(policy.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
        assertThat(policy.getSpec().getIngress()).hasSize(2).allSatisfy(rule -> {
            assertThat(rule.getFrom()).singleElement().satisfies(peer -> assertThat(peer.getNamespaceSelector()).isNotNull());
            assertThat(rule.getPorts()).singleElement().satisfies(port -> assertThat(port.getPort().getStrVal()).isIn("http", "management"));
        });
        assertThat(policy.getSpec().getIngress()).extracting(rule -> rule.getPorts().get(0).getPort().getStrVal())
                .containsExactlyInAnyOrder("http", "management");
        assertThat(policy.getSpec().getEgress()).allSatisfy(rule -> assertThat(rule.getPorts()).as("every rule names its ports").isNotEmpty());
        assertThat(policy.getSpec().getEgress()).flatExtracting(rule -> rule.getPorts())
                .extracting(port -> port.getPort().getIntVal()).containsOnly(53, 5432, 443);
        // HTTPS (eTelecom, eSMS, consumers' callbacks) to public addresses only: a callback URL cannot reach into
        // the cluster, its nodes or the cloud's metadata service, whatever the gateway's own check let through.
        List<NetworkPolicyEgressRule> https = policy.getSpec().getEgress().stream()
                .filter(rule -> rule.getPorts().stream().anyMatch(port -> Integer.valueOf(443).equals(port.getPort().getIntVal())))
                .toList();
        assertThat(https).isNotEmpty().allSatisfy(rule -> assertThat(rule.getTo()).as("443 only to listed address blocks")
                .isNotEmpty().allSatisfy(peer -> assertThat(peer.getIpBlock()).isNotNull()));
        for (String inside : List.of("10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.254", "192.168.1.1", "169.254.169.254",
                "100.64.0.1", "100.127.255.254", "fd00::1", "fc00::1", "fe80::1")) {
            assertThat(https).as("HTTPS to " + inside).noneMatch(rule -> admits(rule, inside));
        }
        for (String outside : List.of("203.0.113.10", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2001:db8::1")) {
            assertThat(https).as("HTTPS to " + outside).anyMatch(rule -> admits(rule, outside));
        }
    }

    /** Whether an egress rule's peers let traffic to {@code address} out: inside a block's cidr and none of its excepts. */
    private static boolean admits(NetworkPolicyEgressRule rule, String address) {
        return rule.getTo().stream().map(NetworkPolicyPeer::getIpBlock).anyMatch(block -> block != null
                && within(address, block.getCidr())
                && (block.getExcept() == null || block.getExcept().stream().noneMatch(except -> within(address, except))));
    }

    private static boolean within(String address, String cidr) {
        try {
            byte[] ip = java.net.InetAddress.getByName(address).getAddress();
            String[] parts = cidr.split("/");
            byte[] network = java.net.InetAddress.getByName(parts[0]).getAddress();
            if (ip.length != network.length) {
                return false;
            }
            int bits = Integer.parseInt(parts[1]);
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >>> (i % 8);
                if ((ip[i / 8] & mask) != (network[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        } catch (java.net.UnknownHostException notAnAddress) {
            throw new AssertionError("not an address: " + address + " or " + cidr, notAnAddress);
        }
    }

    private static <T> T one(List<JsonNode> objects, String kind, Class<T> type) {
        List<JsonNode> found = objects.stream().filter(o -> kind.equals(o.path("kind").asText())
                && !o.path("apiVersion").asText().contains("knative")).toList();
        assertThat(found).as("one %s", kind).hasSize(1);
        return YAML.convertValue(found.get(0), type);
    }

    /** {@code kubectl kustomize deploy/overlays/<overlay>}, as YAML documents. */
    static List<JsonNode> render(String overlay) throws Exception {
        Path kubectl = kubectl();
        Process process = new ProcessBuilder(kubectl.toString(), "kustomize", DEPLOY.resolve("overlays").resolve(overlay).toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        List<JsonNode> objects = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(output); var documents = YAML.readValues(parser, JsonNode.class)) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document instanceof ObjectNode) {
                    objects.add(document);
                }
            }
        }
        assertThat(objects).isNotEmpty();
        return objects;
    }

    private static Path kubectl() {
        List<Path> candidates = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            candidates.add(Path.of(dir, "kubectl"));
        }
        Path found = candidates.stream().filter(Files::isExecutable).findFirst().orElse(null);
        // CI must check the manifests (.ci/run installs kubectl); a laptop with only a JDK skips them.
        if (found == null && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("kubectl is not installed: CI must render the manifests (.ci/run installs it)");
        }
        Assumptions.assumeTrue(found != null, "kubectl is not installed: the manifests are checked in CI");
        return found;
    }

    /** The HTTP port in production: application.properties' quarkus.http.port, else Quarkus' 8080 (tests run on another). */
    private static int applicationPort() {
        return Integer.parseInt(productionProperty("quarkus.http.port", "8080"));
    }

    /** The management port in production: quarkus.management.port, else Quarkus' 9000 (tests use 9001). */
    private static int managementPort() {
        assertThat(productionProperty("quarkus.management.enabled", "false")).as("the management interface is on").isEqualTo("true");
        return Integer.parseInt(productionProperty("quarkus.management.port", "9000"));
    }

    private static String productionProperty(String name, String otherwise) {
        Properties properties = new Properties();
        try (var in = DeployManifestsTest.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return properties.getProperty(name, otherwise);
    }
}
