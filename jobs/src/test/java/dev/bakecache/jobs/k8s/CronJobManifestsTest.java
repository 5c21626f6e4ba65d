package dev.bakecache.jobs.k8s;

import com.cronutils.model.CronType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import dev.bakecache.engine.config.CacheConfig;
import dev.bakecache.engine.config.ConfigLoader;
import dev.bakecache.jobs.BakeCache;
import dev.bakecache.jobs.launch.ExitCodes;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
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
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every overlay of k8s-cronjobs/ rendered as {@code kustomize build} would, then read with fabric8's
 * Kubernetes model: what {@code kubectl apply -k} would send is well-formed, safe to run, and runs
 * command lines the CLI accepts.
 */
class CronJobManifestsTest {

    private static final Path K8S = Path.of("").toAbsolutePath().getParent().resolve("k8s-cronjobs");
    private static final String CONFIG_FILE = "/etc/bake-cache/bake-cache.yaml";
    private static final String CACHE_DIR = "/cache";
    private static final Set<String> JOBS = Set.of("gc", "evict", "verify", "replicate", "bench");
    /**
     * Jobs whose CronJob ships before their subcommand: replicate arrives with issue 4, bench with its
     * own issue. Their command lines cannot be checked yet, so the test asserts the CLI still lacks them;
     * the day one lands this fails, and removing it from here puts its command line under the full check.
     */
    private static final CronParser KUBERNETES_CRON =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void overlayRendersOneCronJobPerJobAndOnlyFieldsKubernetesKnows(String overlay) {
        List<HasMetadata> objects = render(overlay);

        assertThat(cronJobs(objects)).extracting(job -> job.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(JOBS.stream().map(job -> "bake-cache-" + job).toList());
        assertThat(objects).allSatisfy(object ->
                assertThat(object.getMetadata().getNamespace()).as(object.getMetadata().getName())
                        .isEqualTo(overlay.equals("prod") ? "bake-cache" : "bake-cache-" + overlay));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyCronJobRunsAloneWithinDeadlinesOnAValidSchedule(String overlay) {
        for (CronJob cronJob : cronJobs(render(overlay))) {
            String name = cronJob.getMetadata().getName();
            assertThat(cronJob.getSpec().getConcurrencyPolicy()).as(name).isEqualTo("Forbid");
            assertThat(cronJob.getSpec().getStartingDeadlineSeconds()).as(name).isPositive();
            assertThat(cronJob.getSpec().getSuccessfulJobsHistoryLimit()).as(name).isPositive();
            assertThat(cronJob.getSpec().getFailedJobsHistoryLimit()).as(name).isPositive();
            JobSpec job = cronJob.getSpec().getJobTemplate().getSpec();
            assertThat(job.getBackoffLimit()).as(name).isNotNull().isNotNegative();
            assertThat(job.getActiveDeadlineSeconds()).as(name).isPositive();
            assertThat(job.getTemplate().getSpec().getRestartPolicy()).as(name).isEqualTo("Never");
            assertThat(job.getPodFailurePolicy().getRules()).as(name).singleElement().satisfies(rule -> {
                assertThat(rule.getAction()).isEqualTo("FailJob");
                assertThat(rule.getOnExitCodes().getOperator()).isEqualTo("In");
                assertThat(rule.getOnExitCodes().getValues()).as("every exit code but FAILED ends the Job unretried")
                        .containsExactlyInAnyOrderElementsOf(exitCodesNotWorthRetrying());
            });

            String schedule = cronJob.getSpec().getSchedule();
            assertThatCode(() -> KUBERNETES_CRON.parse(schedule).validate()).as(name + " schedule " + schedule)
                    .doesNotThrowAnyException();
            assertThat(ZoneId.of(cronJob.getSpec().getTimeZone())).as(name).isNotNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyContainerRunsAsNonRootOnAReadOnlyRootWithinLimits(String overlay) {
        for (CronJob cronJob : cronJobs(render(overlay))) {
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
    void everyContainerGetsTheCacheVolumeTheConfigMapAndTheSecret(String overlay) {
        List<HasMetadata> objects = render(overlay);
        for (CronJob cronJob : cronJobs(objects)) {
            PodSpec pod = podSpec(cronJob);
            assertThat(named(objects, "ServiceAccount", pod.getServiceAccountName())).isNotNull();
            for (Container container : pod.getContainers()) {
                String claim = volumeAt(pod, container, CACHE_DIR).getPersistentVolumeClaim().getClaimName();
                assertThat(named(objects, "PersistentVolumeClaim", claim)).as(claim).isNotNull();
                String configMap = volumeAt(pod, container, CONFIG_FILE).getConfigMap().getName();
                assertThat(((ConfigMap) named(objects, "ConfigMap", configMap)).getData()).containsKey("bake-cache.yaml");

                EnvVar secret = container.getEnv().stream()
                        .filter(env -> env.getName().equals("BAKE_CACHE_SECRET")).findFirst().orElseThrow();
                assertThat(secret.getValue()).as("the secret is never written into a manifest").isNull();
                assertThat(secret.getValueFrom().getSecretKeyRef().getName()).isEqualTo("bake-cache-secret");
                assertThat(secret.getValueFrom().getSecretKeyRef().getOptional()).isNotEqualTo(Boolean.TRUE);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyContainerRunsACommandLineTheCliAccepts(String overlay) throws IOException {
        List<HasMetadata> objects = render(overlay);
        CacheConfig config = loadConfigMap(objects);
        for (CronJob cronJob : cronJobs(objects)) {
            for (Container container : podSpec(cronJob).getContainers()) {
                List<String> args = container.getArgs();
                assertThat(container.getCommand()).as("the image's entrypoint is the CLI").isNullOrEmpty();
                assertThat(args).as(container.getName()).containsSubsequence("--config", CONFIG_FILE)
                        .containsSubsequence("--cache", CACHE_DIR);
                String job = args.getFirst();
                assertThat(cronJob.getMetadata().getName()).isEqualTo("bake-cache-" + job);
                CommandLine cli = new CommandLine(new BakeCache());
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
    void aMisspeltFieldIsReportedWithItsPath() {
        ObjectNode manifest = Kustomization.readYaml(K8S.resolve("base/cronjob-gc.yaml")).getFirst();
        ObjectNode spec = (ObjectNode) manifest.get("spec");
        spec.set("concurencyPolicy", spec.remove("concurrencyPolicy"));

        assertThatThrownBy(() -> KubernetesModel.parse(manifest))
                .hasMessageContaining("bake-cache-gc").hasMessageContaining("unknown fields [spec.concurencyPolicy]");
    }

    @Test
    void aPatchThatNoLongerFitsItsBaseFailsTheRender() throws IOException {
        Files.writeString(tmp.resolve("kustomization.yaml"), """
                resources: [%s]
                patches:
                  - path: patch.yaml
                    target: {kind: CronJob, name: bake-cache-gc}
                """.formatted(K8S.resolve("base/cronjob-gc.yaml")));
        Files.writeString(tmp.resolve("patch.yaml"), """
                - op: replace
                  path: /spec/jobTemplate/spec/template/spec/containers/1/resources
                  value: {}
                """);

        assertThatThrownBy(() -> Kustomization.render(tmp)).hasMessageContaining("containers/1/resources");
    }

    @Test
    void aKustomizationKeyTheRenderDoesNotKnowFailsInsteadOfBeingSkipped() throws IOException {
        Files.writeString(tmp.resolve("kustomization.yaml"), "namePrefix: team-\nresources: []\n");

        assertThatThrownBy(() -> Kustomization.render(tmp)).hasMessageContaining("namePrefix");
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

    @Test
    void anIndexedJobGivesEachPodAShareOfTheShards() {
        for (String overlay : List.of("dev", "prod")) {
            for (CronJob cronJob : cronJobs(render(overlay))) {
                var job = cronJob.getSpec().getJobTemplate().getSpec();
                List<String> args = podSpec(cronJob).getContainers().getFirst().getArgs();
                int partitions = args.indexOf("--partitions");
                if ("Indexed".equals(job.getCompletionMode())) {
                    assertThat(partitions).as(cronJob.getMetadata().getName() + " splits by --partitions").isPositive();
                    assertThat(Integer.parseInt(args.get(partitions + 1))).isEqualTo(job.getCompletions());
                } else {
                    assertThat(partitions).as(cronJob.getMetadata().getName() + ": --partitions needs an Indexed Job").isNegative();
                }
            }
        }
        CronJob verify = cronJobs(render("prod")).stream()
                .filter(c -> c.getMetadata().getName().equals("bake-cache-verify")).findFirst().orElseThrow();
        assertThat(verify.getSpec().getJobTemplate().getSpec().getCompletionMode()).isEqualTo("Indexed");
    }

    private static List<HasMetadata> render(String overlay) {
        return Kustomization.render(K8S.resolve("overlays").resolve(overlay)).stream()
                .map(KubernetesModel::parse).toList();
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

    private static PodSpec podSpec(CronJob cronJob) {
        return cronJob.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
    }

    private static HasMetadata named(List<HasMetadata> objects, String kind, String name) {
        return objects.stream().filter(object -> object.getKind().equals(kind))
                .filter(object -> object.getMetadata().getName().equals(name)).findFirst().orElse(null);
    }

    private static Volume volumeAt(PodSpec pod, Container container, String mountPath) {
        VolumeMount mount = container.getVolumeMounts().stream()
                .filter(candidate -> candidate.getMountPath().equals(mountPath)).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " mounts nothing at " + mountPath));
        return pod.getVolumes().stream().filter(volume -> volume.getName().equals(mount.getName())).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + ": no volume " + mount.getName()));
    }
}
