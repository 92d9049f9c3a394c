package com.retrainconsole.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One rule per boundary of docs/ARCHITECTURE.md §1: faces depend on the core, never the reverse. */
class ArchitectureTest {
  private static final String ROOT = "com.retrainconsole";
  // decision: packages are listed before they exist (comparison, settings), so they start out bound
  private static final String[] CORE = Stream.of("store", "telemetry", "features", "training",
          "registry", "runs", "retrain", "audit", "common", "triggers", "scheduler", "alerts", "access",
          "serving", "comparison", "settings", "api", "notify", "metrics", "devices", "services")
      .map(p -> ROOT + "." + p + "..").toArray(String[]::new);

  private record Layer(String name, List<String> packages) {
    String[] identifiers() {
      return packages.stream().map(p -> ROOT + "." + p + "..").toArray(String[]::new);
    }
  }

  /**
   * The layers of docs/ARCHITECTURE.md §1, bottom first: a layer uses those below it (and itself), never one
   * above. Packages sharing a layer may use each other; the cycle rule keeps that one-way.
   */
  private static final List<Layer> LAYERS = List.of(
      new Layer("common", List.of("common")),
      new Layer("store", List.of("store", "audit")),
      new Layer("telemetry", List.of("telemetry")),
      new Layer("features", List.of("features")),
      new Layer("training", List.of("training")),
      new Layer("registry", List.of("registry")),
      new Layer("runs", List.of("runs", "retrain", "alerts", "serving", "comparison", "metrics")),
      new Layer("scheduling", List.of("scheduler", "triggers")),
      new Layer("devices", List.of("devices")),
      new Layer("access", List.of("access")),
      new Layer("services", List.of("settings", "notify", "services")),
      new Layer("faces", List.of("cli", "ui", "api")),
      new Layer("entry point", List.of("app")));

  private static JavaClasses main;

  @BeforeAll
  static void import_main_classes() {
    main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(ROOT);
  }

  @Test
  void the_import_sees_the_core_and_the_faces_but_no_test_classes() {
    // guards against rules passing vacuously on an empty or wrong import
    for (String pkg : List.of("store", "telemetry", "features", "training", "registry", "runs", "retrain",
        "audit", "common", "cli", "app", "ui", "devices", "access", "api", "services")) {
      assertTrue(main.containPackage(ROOT + "." + pkg), "no main classes imported from " + pkg);
    }
    assertTrue(main.stream().noneMatch(c -> c.getSimpleName().endsWith("Test")), "test classes were imported");
  }

  @Test
  void core_never_touches_javafx() {
    noClasses().that().resideInAnyPackage(CORE)
        .should().dependOnClassesThat().resideInAPackage("javafx..")
        .because("the core runs headless (CLI, scheduler service) where no JavaFX toolkit exists")
        .check(main);
  }

  @Test
  void core_never_depends_on_a_face_or_the_composition_root() {
    noClasses().that().resideInAnyPackage(CORE)
        .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".ui..", ROOT + ".cli..", ROOT + ".app..")
        .because("the console and the CLI are two faces over the same core; arrows go from faces to core")
        .check(main);
  }

  @Test
  void core_never_parses_command_lines() {
    noClasses().that().resideInAnyPackage(CORE)
        .should().dependOnClassesThat().resideInAPackage("picocli..")
        .because("flags are the CLI's concern; the console calls the same core without them")
        .check(main);
  }

  @Test
  void cli_never_depends_on_the_console() {
    noClasses().that().resideInAPackage(ROOT + ".cli..")
        .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".ui..", "javafx..")
        .because("the CLI must run on a headless server without the JavaFX toolkit")
        .check(main);
  }

  @Test
  void console_never_depends_on_the_cli() {
    noClasses().that().resideInAPackage(ROOT + ".ui..")
        .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".cli..", "picocli..")
        .because("the console calls the core services directly; the CLI is a sibling face, not a library")
        .check(main);
  }

  @Test
  void top_level_packages_are_free_of_cycles() {
    slices().matching(ROOT + ".(*)..")
        .should().beFreeOfCycles()
        .because("a cycle makes two packages one: neither can be understood, tested or replaced alone")
        .check(main);
  }

  @Test
  void each_layer_uses_only_the_layers_below_it() {
    LayeredArchitecture layers = layeredArchitecture().consideringOnlyDependenciesInLayers();
    for (Layer l : LAYERS) {
      layers = layers.layer(l.name()).definedBy(l.identifiers());
    }
    for (int i = 0; i < LAYERS.size(); i++) {
      String[] below = LAYERS.subList(0, i).stream().map(Layer::name).toArray(String[]::new);
      layers = i == 0 ? layers.whereLayer(LAYERS.get(i).name()).mayNotAccessAnyLayer()
          : layers.whereLayer(LAYERS.get(i).name()).mayOnlyAccessLayers(below);
    }
    // a new package must be given its layer here (and in docs/ARCHITECTURE.md §1) before it builds
    layers.ensureAllClassesAreContainedInArchitecture()
        .because("telemetry feeds features, features training, training the registry, and runs, the scheduler,"
            + " devices and access build on those in turn; an arrow pointing down the stack makes a cycle")
        .check(main);
  }

  @Test
  void faces_never_depend_on_each_other() {
    noClasses().that().resideInAPackage(ROOT + ".api..")
        .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".cli..", ROOT + ".ui..")
        .because("the API is a face of its own; the CLI and the console host it, never the reverse")
        .check(main);
  }

  @Test
  void only_the_entry_point_depends_on_the_composition_root() {
    noClasses().that().resideOutsideOfPackage(ROOT + ".app..")
        .should().dependOnClassesThat().resideInAPackage(ROOT + ".app..")
        .because("faces are handed services.Services by the launcher; reaching back for AppContext would let"
            + " them bypass that narrow view and tie every face to the wiring")
        .check(main);
  }

  @Test
  void state_changes_reach_the_core_only_through_operations() {
    // the writes a role guards; the packages that own them or run them on the scheduler's behalf may call them
    noClasses().that().resideOutsideOfPackages(ROOT + ".access..", ROOT + ".retrain..", ROOT + ".scheduler..",
            ROOT + ".triggers..", ROOT + ".registry..", ROOT + ".runs..", ROOT + ".alerts..", ROOT + ".devices..",
            ROOT + ".app..")
        .should().callMethodWhere(guardedWrite())
        .because("every state change from the console, the CLI and the API passes access.Operations, which"
            + " checks the caller's role first")
        .check(main);
  }

  private static com.tngtech.archunit.base.DescribedPredicate<com.tngtech.archunit.core.domain.JavaMethodCall>
      guardedWrite() {
    java.util.Map<String, java.util.Set<String>> guarded = java.util.Map.of(
        ROOT + ".registry.ModelRegistry", java.util.Set.of("promote", "rollback"),
        ROOT + ".runs.RunQueue", java.util.Set.of("enqueue", "enqueueAll", "requestCancel"),
        ROOT + ".alerts.AlertService", java.util.Set.of("ack"),
        ROOT + ".triggers.TriggerRepository", java.util.Set.of("add", "edit", "enable", "disable", "remove"),
        ROOT + ".devices.DeviceService", java.util.Set.of("add", "edit", "setSource", "remove", "importCsv",
            "simulate"),
        ROOT + ".retrain.RetrainService", java.util.Set.of("run"));
    return com.tngtech.archunit.base.DescribedPredicate.describe("a role-guarded write", call -> {
      java.util.Set<String> names = guarded.get(call.getTargetOwner().getFullName());
      return names != null && names.contains(call.getName());
    });
  }
}
