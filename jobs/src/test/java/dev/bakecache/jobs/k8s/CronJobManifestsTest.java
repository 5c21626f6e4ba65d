package dev.bakecache.jobs.k8s;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bakecache.engine.config.CacheConfig;
import dev.bakecache.engine.config.ConfigLoader;
import dev.bakecache.jobs.cli.BakeCacheCommand;
import dev.bakecache.jobs.launch.ExitCodes;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The base and every overlay of k8s-cronjobs/ rendered by {@code kubectl kustomize}, each document
 * read with fabric8's Kubernetes model ({@link KubernetesModel}: fields and types as the Kubernetes
 * API schema has them): what {@code kubectl apply -k} would send is accepted by the API server,
 * safe to run, retried only where a retry helps, co-located with the cache volume, and runs command
 * lines the CLI accepts.
 */
class CronJobManifestsTest {

    private static final Path K8S = Path.of("").toAbsolutePath().getParent().resolve("k8s-cronjobs");
    private static final String CONFIG_FILE = "/etc/bake-cache/bake-cache.yaml";
    private static final String CACHE_DIR = "/cache";
    private static final Set<String> JOBS = Set.of("gc", "evict", "verify", "replicate", "bench", "stats");
    /** stats reads no manifest signature (its command needs no secret), so its pod is not given one. */
    private static final Set<String> JOBS_WITHOUT_SECRET = Set.of("stats");
    private static final CronParser KUBERNETES_CRON =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    /** One kubectl run per directory for the whole class. */
    private static final Map<String, List<HasMetadata>> RENDERED = new ConcurrentHashMap<>();

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void overlayRendersOneCronJobPerJobAndOnlyFieldsKubernetesKnows(String overlay) {
        List<HasMetadata> objects = render("overlays/" + overlay);

        assertThat(cronJobs(objects)).extracting(job -> job.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(JOBS.stream().map(job -> "bake-cache-" + job).toList());
        assertThat(objects).allSatisfy(object ->
                assertThat(object.getMetadata().getNamespace()).as(object.getMetadata().getName())
                        .isEqualTo(overlay.equals("prod") ? "bake-cache" : "bake-cache-" + overlay));
    }

    @Test
    void baseRendersOnItsOwnWithOnlyFieldsKubernetesKnows() {
        assertThat(cronJobs(render("base"))).hasSameSizeAs(JOBS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyCronJobRunsAloneWithinDeadlinesOnAValidSchedule(String overlay) {
        for (CronJob cronJob : cronJobs(render("overlays/" + overlay))) {
            String name = cronJob.getMetadata().getName();
            assertThat(cronJob.getSpec().getConcurrencyPolicy()).as(name).isEqualTo("Forbid");
            assertThat(cronJob.getSpec().getStartingDeadlineSeconds()).as(name).isPositive();
            assertThat(cronJob.getSpec().getSuccessfulJobsHistoryLimit()).as(name).isPositive();
            assertThat(cronJob.getSpec().getFailedJobsHistoryLimit()).as(name).isPositive();
            JobSpec job = cronJob.getSpec().getJobTemplate().getSpec();
            assertThat(job.getActiveDeadlineSeconds()).as(name).isPositive();
            assertThat(job.getTemplate().getSpec().getRestartPolicy()).as(name).isEqualTo("Never");

            String schedule = cronJob.getSpec().getSchedule();
            assertThatCode(() -> KUBERNETES_CRON.parse(schedule).validate()).as(name + " schedule " + schedule)
                    .doesNotThrowAnyException();
            assertThat(ZoneId.of(cronJob.getSpec().getTimeZone())).as(name).isNotNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void onlyAFailedRunIsRetriedAndADrainedPodUsesUpNoRetry(String overlay) {
        for (CronJob cronJob : cronJobs(render("overlays/" + overlay))) {
            String name = cronJob.getMetadata().getName();
            JobSpec job = cronJob.getSpec().getJobTemplate().getSpec();
            assertThat(job.getPodFailurePolicy()).as(name + ": without one, every exit code is retried").isNotNull();
            List<PodFailurePolicyRule> rules = job.getPodFailurePolicy().getRules();
            assertThat(rules).as(name).hasSize(2);
            assertThat(rules.getFirst().getAction()).as(name + ": evicted by a drain, preemption or taint")
                    .isEqualTo("Ignore");
            assertThat(rules.getFirst().getOnPodConditions()).as(name).singleElement().satisfies(condition -> {
                assertThat(condition.getType()).isEqualTo("DisruptionTarget");
                assertThat(condition.getStatus()).as("defaults to True").isIn(null, "True");
            });
            PodFailurePolicyRule exitCodes = rules.get(1);
            // FailIndex is only allowed with backoffLimitPerIndex, an Indexed Job's per-share retries
            assertThat(exitCodes.getAction()).as(name)
                    .isEqualTo(job.getBackoffLimitPerIndex() == null ? "FailJob" : "FailIndex");
            assertThat(exitCodes.getOnExitCodes().getOperator()).isEqualTo("In");
            assertThat(exitCodes.getOnExitCodes().getValues())
                    .as(name + ": every exit code but FAILED ends the run unretried; FAILED matches no rule, so it counts")
                    .containsExactlyInAnyOrderElementsOf(exitCodesNotWorthRetrying());
            if (job.getBackoffLimitPerIndex() == null) {
                assertThat(job.getBackoffLimit()).as(name).isNotNull().isNotNegative();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void oneShareOfAnIndexedJobFailingLeavesItsSiblingsRunning(String overlay) {
        for (CronJob cronJob : cronJobs(render("overlays/" + overlay))) {
            String name = cronJob.getMetadata().getName();
            JobSpec job = cronJob.getSpec().getJobTemplate().getSpec();
            if ("Indexed".equals(job.getCompletionMode())) {
                assertThat(job.getBackoffLimitPerIndex()).as(name + ": each share has its own retries").isPositive();
                assertThat(job.getBackoffLimit()).as(name + ": an overall limit would end every share at the"
                        + " N-th failure anywhere; unset, it is unlimited with backoffLimitPerIndex").isNull();
                assertThat(job.getMaxFailedIndexes()).as(name + ": every share runs to its end").isNull();
                assertThat(job.getPodFailurePolicy().getRules()).extracting(PodFailurePolicyRule::getAction)
                        .as(name).doesNotContain("FailJob").contains("FailIndex");
            } else {
                assertThat(job.getBackoffLimitPerIndex()).as(name + ": only an Indexed Job has shares").isNull();
            }
        }
        assertThat(cronJob(render("overlays/prod"), "bake-cache-verify").getSpec().getJobTemplate().getSpec()
                .getCompletionMode()).isEqualTo("Indexed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void anIndexedJobGivesEachPodAShareOfTheShards(String overlay) {
        for (CronJob cronJob : cronJobs(render("overlays/" + overlay))) {
            JobSpec job = cronJob.getSpec().getJobTemplate().getSpec();
            List<String> args = podSpec(cronJob).getContainers().getFirst().getArgs();
            int partitions = args.indexOf("--partitions");
            if ("Indexed".equals(job.getCompletionMode())) {
                assertThat(partitions).as(cronJob.getMetadata().getName() + " splits by --partitions").isPositive();
                assertThat(Integer.parseInt(args.get(partitions + 1))).isEqualTo(job.getCompletions());
            } else {
                assertThat(partitions).as(cronJob.getMetadata().getName() + ": --partitions needs an Indexed Job")
                        .isNegative();
            }
        }
    }

    /**
     * A ReadWriteOnce volume is attached to one node at a time: a pod of another node waits on
     * Multi-Attach until its deadline. Every pod that mounts one must therefore require the node of
     * the pods already using it, with a term its own labels match, or the first pod of all could
     * never be scheduled.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyPodSharingAReadWriteOnceVolumeRunsOnTheNodeOfThePodsAlreadyUsingIt(String overlay) {
        List<HasMetadata> objects = render("overlays/" + overlay);
        List<CronJob> cronJobs = cronJobs(objects);
        for (CronJob cronJob : cronJobs) {
            String name = cronJob.getMetadata().getName();
            PodSpec pod = podSpec(cronJob);
            List<String> readWriteOnceClaims = pod.getVolumes().stream()
                    .filter(volume -> volume.getPersistentVolumeClaim() != null)
                    .map(volume -> volume.getPersistentVolumeClaim().getClaimName())
                    .filter(claim -> ((PersistentVolumeClaim) named(objects, "PersistentVolumeClaim", claim))
                            .getSpec().getAccessModes().contains("ReadWriteOnce"))
                    .toList();
            assertThat(readWriteOnceClaims).as(name).contains("bake-cache-local");

            assertThat(pod.getAffinity()).as(name + ": no affinity to the node of the pods using the volume").isNotNull();
            assertThat(pod.getAffinity().getPodAffinity().getRequiredDuringSchedulingIgnoredDuringExecution())
                    .as(name).singleElement().satisfies(term -> {
                        assertThat(term.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
                        assertThat(term.getNamespaces()).as("the claim's namespace, the pod's own").isNullOrEmpty();
                        assertThat(term.getNamespaceSelector()).isNull();
                        assertThat(term.getLabelSelector().getMatchExpressions()).isNullOrEmpty();
                        for (CronJob other : cronJobs) {
                            assertThat(podLabels(other)).as(other.getMetadata().getName() + " is selected by " + name
                                    + ", and so is the pod itself: it may be the first of the group")
                                    .containsAllEntriesOf(term.getLabelSelector().getMatchLabels());
                        }
                    });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theStatsCronJobWritesThePrometheusTextfileIntoTheNodeExporterDirectoryOfTheNode(String overlay) {
        PodSpec pod = podSpec(cronJob(render("overlays/" + overlay), "bake-cache-stats"));
        Container stats = pod.getContainers().getFirst();
        List<String> args = stats.getArgs();
        assertThat(args.getFirst()).isEqualTo("stats");
        String textfile = args.get(args.indexOf("--textfile") + 1);
        assertThat(textfile).as("node-exporter's textfile collector reads *.prom").endsWith(".prom");

        Path directory = Path.of(textfile).getParent();
        Volume volume = volumeAt(pod, stats, directory.toString());
        assertThat(volume.getHostPath().getType()).as("never a root-owned directory the kubelet makes")
                .isEqualTo("Directory");
        assertThat(args).as("--textfile writes the Prometheus format").doesNotContain("--format");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyContainerRunsAsNonRootOnAReadOnlyRootWithinLimits(String overlay) {
        for (CronJob cronJob : cronJobs(render("overlays/" + overlay))) {
            PodSpec pod = podSpec(cronJob);
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
            assertThat(pod.getContainers()).isNotEmpty().allSatisfy(container -> {
                assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
                assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
                assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
                for (String resource : List.of("cpu", "memory")) {
                    Quantity request = container.getResources().getRequests().get(resource);
                    Quantity limit = container.getResources().getLimits().get(resource);
                    assertThat(Quantity.getAmountInBytes(request)).as(container.getName() + " " + resource)
                            .isPositive().isLessThanOrEqualTo(Quantity.getAmountInBytes(limit));
                }
                assertThat(volumeAt(pod, container, "/tmp").getEmptyDir()).as(container.getName()).isNotNull();
                assertThat(container.getImage()).as(container.getName())
                        .contains("/").matches(".*:[^/:]+$").doesNotEndWith(":latest");
            });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyContainerGetsTheCacheVolumeTheConfigMapAndOnlyTheSecretItNeeds(String overlay) {
        List<HasMetadata> objects = render("overlays/" + overlay);
        for (CronJob cronJob : cronJobs(objects)) {
            PodSpec pod = podSpec(cronJob);
            assertThat(named(objects, "ServiceAccount", pod.getServiceAccountName())).isNotNull();
            for (Container container : pod.getContainers()) {
                String claim = volumeAt(pod, container, CACHE_DIR).getPersistentVolumeClaim().getClaimName();
                assertThat(named(objects, "PersistentVolumeClaim", claim)).as(claim).isNotNull();
                String configMap = volumeAt(pod, container, CONFIG_FILE).getConfigMap().getName();
                assertThat(((ConfigMap) named(objects, "ConfigMap", configMap)).getData()).containsKey("bake-cache.yaml");

                List<EnvVar> secrets = container.getEnv() == null ? List.of() : container.getEnv().stream()
                        .filter(env -> env.getName().equals("BAKE_CACHE_SECRET")).toList();
                if (JOBS_WITHOUT_SECRET.contains(container.getArgs().getFirst())) {
                    assertThat(secrets).as(container.getName()).isEmpty();
                    continue;
                }
                assertThat(secrets).as(container.getName()).singleElement().satisfies(secret -> {
                    assertThat(secret.getValue()).as("the secret is never written into a manifest").isNull();
                    assertThat(secret.getValueFrom().getSecretKeyRef().getName()).isEqualTo("bake-cache-secret");
                    assertThat(secret.getValueFrom().getSecretKeyRef().getOptional()).isNotEqualTo(Boolean.TRUE);
                });
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyContainerRunsACommandLineTheCliAccepts(String overlay) throws IOException {
        List<HasMetadata> objects = render("overlays/" + overlay);
        CacheConfig config = loadConfigMap(objects);
        for (CronJob cronJob : cronJobs(objects)) {
            for (Container container : podSpec(cronJob).getContainers()) {
                List<String> args = container.getArgs();
                assertThat(container.getCommand()).as("the image's entrypoint is the CLI").isNullOrEmpty();
                assertThat(args).as(container.getName()).containsSubsequence("--config", CONFIG_FILE)
                        .containsSubsequence("--cache", CACHE_DIR);
                String job = args.getFirst();
                assertThat(cronJob.getMetadata().getName()).isEqualTo("bake-cache-" + job);
                CommandLine cli = new CommandLine(new BakeCacheCommand());
                assertThatCode(() -> cli.parseArgs(args.toArray(String[]::new))).as(container.getName() + " " + args)
                        .doesNotThrowAnyException();
                int to = args.indexOf("--to");
                if (to >= 0) {
                    assertThat(config.remote(args.get(to + 1))).as("--to names a cache.remotes entry").isPresent();
                }
            }
        }
    }

    @Test
    void aMisspeltFieldIsReportedWithItsPath() throws IOException {
        patchGc("""
                - op: move
                  from: /spec/concurrencyPolicy
                  path: /spec/concurencyPolicy
                """);

        assertThatThrownBy(() -> parseAll(KubectlKustomize.render(tmp)))
                .hasMessageContaining("bake-cache-gc").hasMessageContaining("unknown fields [spec.concurencyPolicy]");
    }

    @Test
    void aNumberWhereKubernetesWantsAStringIsReported() throws IOException {
        patchGc("""
                - op: replace
                  path: /spec/jobTemplate/spec/template/spec/containers/0/args/6
                  value: 6
                """);

        assertThatThrownBy(() -> parseAll(KubectlKustomize.render(tmp)))
                .hasMessageContaining("bake-cache-gc").hasMessageContaining("\"args\"");
    }

    @Test
    void aStringWhereKubernetesWantsANumberIsReported() throws IOException {
        patchGc("""
                - op: replace
                  path: /spec/jobTemplate/spec/backoffLimit
                  value: "2"
                """);

        assertThatThrownBy(() -> parseAll(KubectlKustomize.render(tmp)))
                .hasMessageContaining("bake-cache-gc").hasMessageContaining("\"backoffLimit\"");
    }

    @Test
    void aPatchThatNoLongerFitsItsBaseFailsTheRender() throws IOException {
        patchGc("""
                - op: replace
                  path: /spec/jobTemplate/spec/template/spec/containers/1/resources
                  value: {}
                """);

        assertThatThrownBy(() -> KubectlKustomize.render(tmp)).hasMessageContaining("containers/1/resources");
    }

    /** A kustomization in {@link #tmp} over the base, with {@code patch} applied to the gc CronJob. */
    private void patchGc(String patch) throws IOException {
        // kustomize accepts a base outside the kustomization's directory only by a relative path
        Files.writeString(tmp.resolve("kustomization.yaml"), """
                resources: [%s]
                patches:
                  - path: patch.yaml
                    target: {kind: CronJob, name: bake-cache-gc}
                """.formatted(tmp.relativize(K8S.resolve("base"))));
        Files.writeString(tmp.resolve("patch.yaml"), patch);
    }

    private static List<Integer> exitCodesNotWorthRetrying() {
        return Arrays.stream(ExitCodes.class.getFields())
                .filter(field -> field.getType() == int.class && Modifier.isStatic(field.getModifiers()))
                .map(field -> {
                    try {
                        return field.getInt(null);
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .filter(code -> code != ExitCodes.COMPLETED && code != ExitCodes.FAILED)
                .toList();
    }

    /** {@code dir} under k8s-cronjobs/, rendered and validated once. */
    private static List<HasMetadata> render(String dir) {
        return RENDERED.computeIfAbsent(dir, d -> parseAll(KubectlKustomize.render(K8S.resolve(d))));
    }

    private static List<HasMetadata> parseAll(List<ObjectNode> documents) {
        return documents.stream().map(KubernetesModel::parse).toList();
    }

    private CacheConfig loadConfigMap(List<HasMetadata> objects) throws IOException {
        ConfigMap configMap = (ConfigMap) objects.stream()
                .filter(object -> object instanceof ConfigMap).findFirst().orElseThrow();
        Path file = Files.writeString(tmp.resolve("bake-cache.yaml"), configMap.getData().get("bake-cache.yaml"));
        return ConfigLoader.load(file);
    }

    private static List<CronJob> cronJobs(List<HasMetadata> objects) {
        return objects.stream().filter(object -> object instanceof CronJob).map(CronJob.class::cast).toList();
    }

    private static CronJob cronJob(List<HasMetadata> objects, String name) {
        return (CronJob) named(objects, "CronJob", name);
    }

    private static PodSpec podSpec(CronJob cronJob) {
        return cronJob.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
    }

    private static Map<String, String> podLabels(CronJob cronJob) {
        return cronJob.getSpec().getJobTemplate().getSpec().getTemplate().getMetadata().getLabels();
    }

    private static HasMetadata named(List<HasMetadata> objects, String kind, String name) {
        return objects.stream().filter(object -> object.getKind().equals(kind))
                .filter(object -> object.getMetadata().getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    private static Volume volumeAt(PodSpec pod, Container container, String mountPath) {
        VolumeMount mount = container.getVolumeMounts().stream()
                .filter(candidate -> candidate.getMountPath().equals(mountPath)).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " mounts nothing at " + mountPath));
        return pod.getVolumes().stream().filter(volume -> volume.getName().equals(mount.getName())).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + ": no volume " + mount.getName()));
    }
}
