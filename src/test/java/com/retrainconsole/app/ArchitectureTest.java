package com.retrainconsole.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One rule per boundary of DESIGN.md §1: faces depend on the core, never the reverse. */
class ArchitectureTest {
  private static final String ROOT = "com.retrainconsole";
  // decision: packages are listed before they exist (comparison, settings), so they start out bound
  private static final String[] CORE = Stream.of("store", "telemetry", "features", "training",
          "registry", "runs", "retrain", "audit", "common", "triggers", "scheduler", "alerts", "access",
          "serving", "comparison", "settings", "api", "notify", "metrics")
      .map(p -> ROOT + "." + p + "..").toArray(String[]::new);

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
        "audit", "common", "cli", "app", "ui")) {
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
}
