package vn.zalogateway.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.simulator.SimulatorSettings;

/**
 * docs/CONFIGURATION.md lists every setting a deployer makes, in tables whose rows start
 * {@code | `property` | `ENVIRONMENT_VARIABLE` | default | meaning |}. Checked against the code: each
 * {@code gateway.*} property of {@link GatewayConfig} (read from the mapping's methods, as SmallRye names them)
 * has a row, no row names one the mapping lacks, a row's default is the mapping's {@code @WithDefault}, every
 * environment variable is the one MicroProfile Config reads for its property; the simulator's knobs are
 * {@link SimulatorSettings#NAMES}; and the configuration names the API contract fixes are there word for word.
 */
class ConfigurationDocTest {

    static final Path DOC = Path.of("docs/CONFIGURATION.md");

    /** The contract's "Configuration names": deployments and tests rely on them. */
    static final List<String> CONTRACT = List.of("quarkus.datasource.reactive.url", "quarkus.datasource.jdbc.url",
            "quarkus.datasource.username", "quarkus.datasource.password", "quarkus.rest-client.etelecom.url",
            "gateway.etelecom.api-key", "quarkus.rest-client.esms.url", "gateway.esms.api-key", "gateway.esms.secret-key",
            "gateway.esms.callback-url", "gateway.webhooks.nxcloud-secret", "gateway.webhooks.esms-secret",
            "gateway.api-key-hashes", "gateway.admin-key-hashes", "gateway.secrets.key", "gateway.callbacks.allow-http",
            "gateway.callbacks.allow-private-networks", "quarkus.http.port");

    static final Pattern CODE = Pattern.compile("`([^`]+)`");
    static final Pattern PROPERTY = Pattern.compile("[a-z][A-Za-z0-9_\"-]*(?:[./][A-Za-z0-9_\"-]+)+");
    static final Pattern VARIABLE = Pattern.compile("[A-Z][A-Z0-9_]+");
    static final Pattern CELL_SEPARATOR = Pattern.compile("(?<!\\\\)\\|");

    /** One row of a property table: the properties of its first cell, the variables of its second, its default. */
    record Row(List<String> properties, List<String> variables, String defaults, String line) {
    }

    @Test
    void everyGatewayPropertyHasARowAndEveryRowAProperty() throws IOException {
        Set<String> mapped = gatewayProperties().keySet();
        Set<String> documented = documented().stream().filter(name -> name.startsWith("gateway.")).collect(Collectors.toSet());
        assertThat(mapped).as("gateway.* properties of GatewayConfig").hasSizeGreaterThan(50);
        SoftAssertions.assertSoftly(softly -> {
            softly.assertThat(difference(mapped, documented)).as("gateway.* properties docs/CONFIGURATION.md does not list").isEmpty();
            softly.assertThat(difference(documented, mapped)).as("gateway.* properties docs/CONFIGURATION.md lists that GatewayConfig lacks")
                    .isEmpty();
        });
    }

    @Test
    void everyDefaultIsTheMappings() throws IOException {
        Map<String, Optional<String>> mapped = gatewayProperties();
        List<String> wrong = new ArrayList<>();
        for (Row row : rows()) {
            for (String property : row.properties()) {
                Optional<String> defaultValue = mapped.getOrDefault(property, Optional.empty());
                if (defaultValue.isPresent() && !codeSpans(row.defaults()).contains(defaultValue.get())) {
                    wrong.add(property + ": the default is `" + defaultValue.get() + "`, the doc says " + row.defaults().strip());
                }
            }
        }
        assertThat(wrong).as("defaults docs/CONFIGURATION.md gets wrong").isEmpty();
    }

    @Test
    void everyEnvironmentVariableIsTheOneItsPropertyIsReadFrom() throws IOException {
        List<String> wrong = new ArrayList<>();
        for (Row row : rows()) {
            if (row.variables().isEmpty() && row.properties().stream().noneMatch(name -> name.startsWith("gateway."))) {
                continue; // a Quarkus map entry (additional-properties) has none that keeps its key's spelling
            }
            Set<String> expected = row.properties().stream().map(ConfigurationDocTest::environmentName)
                    .collect(Collectors.toCollection(TreeSet::new));
            if (!expected.equals(new TreeSet<>(row.variables()))) {
                wrong.add(row.line() + " (expected " + expected + ")");
            }
        }
        assertThat(rows()).as("property rows").hasSizeGreaterThan(60);
        assertThat(wrong).as("rows whose environment variables are not their properties'").isEmpty();
    }

    @Test
    void theContractsConfigurationNamesAreThereWordForWord() throws IOException {
        assertThat(documented()).containsAll(CONTRACT);
    }

    @Test
    void theSimulatorsKnobsAreTheSimulators() throws IOException {
        Set<String> knobs = new TreeSet<>();
        for (String line : Files.readAllLines(DOC, StandardCharsets.UTF_8)) {
            if (line.startsWith("|")) {
                codeSpans(CELL_SEPARATOR.split(line, -1)[1]).stream().filter(code -> code.matches("simulator\\.[a-z-]+"))
                        .forEach(code -> knobs.add(code.substring("simulator.".length())));
            }
        }
        assertThat(knobs).containsExactlyInAnyOrderElementsOf(SimulatorSettings.NAMES);
    }

    /** Every gateway.* property the mapping reads, to its default. */
    static Map<String, Optional<String>> gatewayProperties() {
        Map<String, Optional<String>> properties = new TreeMap<>();
        collect(GatewayConfig.class.getAnnotation(ConfigMapping.class).prefix(), GatewayConfig.class, properties);
        return properties;
    }

    private static void collect(String prefix, Class<?> group, Map<String, Optional<String>> properties) {
        for (Method method : group.getDeclaredMethods()) {
            if (method.isDefault() || java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            WithName withName = method.getAnnotation(WithName.class);
            String name = prefix + "." + (withName != null ? withName.value() : kebab(method.getName()));
            Class<?> type = method.getReturnType();
            if (type.isInterface() && type.getName().startsWith("vn.zalogateway.")) {
                collect(name, type, properties);
            } else {
                WithDefault withDefault = method.getAnnotation(WithDefault.class);
                properties.put(name, Optional.ofNullable(withDefault).map(WithDefault::value));
            }
        }
    }

    /** SmallRye's default naming: {@code apiKeyHashes} is {@code api-key-hashes}. */
    static String kebab(String method) {
        return method.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** The environment variable MicroProfile Config reads for a property. */
    static String environmentName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private static Set<String> documented() throws IOException {
        return rows().stream().flatMap(row -> row.properties().stream()).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The rows of the tables whose header starts {@code | property | environment variable |}. */
    static List<Row> rows() throws IOException {
        List<Row> rows = new ArrayList<>();
        boolean inPropertyTable = false;
        for (String line : Files.readAllLines(DOC, StandardCharsets.UTF_8)) {
            if (!line.startsWith("|")) {
                inPropertyTable = false;
                continue;
            }
            List<String> cells = Arrays.asList(CELL_SEPARATOR.split(line, -1));
            if (cells.size() < 5) {
                continue;
            }
            if (cells.get(1).strip().equals("property") && cells.get(2).strip().equals("environment variable")) {
                inPropertyTable = true;
                continue;
            }
            List<String> properties = codeSpans(cells.get(1)).stream().filter(code -> PROPERTY.matcher(code).matches()).toList();
            if (inPropertyTable && !properties.isEmpty()) {
                List<String> variables = codeSpans(cells.get(2)).stream().filter(code -> VARIABLE.matcher(code).matches()).toList();
                rows.add(new Row(properties, variables, cells.get(3), line));
            }
        }
        return rows;
    }

    private static List<String> codeSpans(String text) {
        List<String> spans = new ArrayList<>();
        Matcher code = CODE.matcher(text);
        while (code.find()) {
            spans.add(code.group(1));
        }
        return spans;
    }

    private static Set<String> difference(Set<String> from, Set<String> without) {
        Set<String> left = new TreeSet<>(from);
        left.removeAll(without);
        return left;
    }
}
