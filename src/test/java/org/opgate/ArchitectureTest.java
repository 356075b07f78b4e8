package org.opgate;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The core (config, flow, classify, policy, clock, source, ruletest, interop) stays free of Netty and of the outer layers. */
final class ArchitectureTest {

    private static final String[] CORE = {
        "org.opgate.source..", "org.opgate.flow..", "org.opgate.classify..", "org.opgate.policy..",
        "org.opgate.clock..", "org.opgate.config..", "org.opgate.ruletest..", "org.opgate.interop..",
        "org.opgate.scenario.."
    };
    private static final String[] OUTER = {
        "org.opgate.gateway..", "org.opgate.cli..", "org.opgate.sim..", "org.opgate.admin..",
        "org.opgate.metrics..", "org.opgate.report.."
    };

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.opgate");
    }

    @Test
    void coreDoesNotUseNetty() {
        noClasses().that().resideInAnyPackage(CORE)
                .should().dependOnClassesThat().resideInAnyPackage("io.netty..")
                .check(classes);
    }

    @Test
    void coreDoesNotDependOnGatewayCliOrSimulator() {
        noClasses().that().resideInAnyPackage(CORE)
                .should().dependOnClassesThat().resideInAnyPackage(OUTER)
                .check(classes);
    }

    @Test
    void ruleTestingUsesOnlyConfigClassifyPolicyAndFlow() {
        ArchRuleDefinition.classes().that().resideInAPackage("org.opgate.ruletest..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("org.opgate.ruletest..", "org.opgate.config..",
                        "org.opgate.classify..", "org.opgate.policy..", "org.opgate.flow..", "org.opgate.source..",
                        "java..", "javax.xml..", "org.w3c.dom..", "org.yaml.snakeyaml.nodes..")
                .check(classes);
    }

    @Test
    void packagesHaveNoCycles() {
        SlicesRuleDefinition.slices().matching("org.opgate.(*)..").should().beFreeOfCycles().check(classes);
    }
}
