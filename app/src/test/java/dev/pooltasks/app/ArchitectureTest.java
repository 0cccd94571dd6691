package dev.pooltasks.app;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The hexagon's dependency rules, checked on the compiled production classes of every module. */
@AnalyzeClasses(packages = "dev.pooltasks", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule domainIsPlainJava = classes()
            .that().resideInAPackage("dev.pooltasks.domain..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("dev.pooltasks.domain..", "java..")
            .because("the domain is framework-free: no Quarkus, Jakarta or Jackson");

    @ArchTest
    static final ArchRule adaptersAreIndependentOfEachOther = slices()
            .matching("dev.pooltasks.adapter.(*).(*)..")
            .should().notDependOnEachOther();

    @ArchTest
    static final ArchRule adaptersUseOnlyTheDomainsModelQueriesAggregationIndexAndPorts = noClasses()
            .that().resideInAPackage("dev.pooltasks.adapter..")
            .should().dependOnClassesThat(resideInAPackage("dev.pooltasks.domain..")
                    .and(not(resideInAnyPackage("dev.pooltasks.domain.model..", "dev.pooltasks.domain.query..",
                            "dev.pooltasks.domain.aggregation..", "dev.pooltasks.domain.index..",
                            "dev.pooltasks.domain.port.."))))
            .because("domain services are composed by the application; adapters implement and use ports");

    @ArchTest
    static final ArchRule inboundPortsDoNotKnowOutboundPorts = noClasses()
            .that().resideInAPackage("dev.pooltasks.domain.port.in..")
            .should().dependOnClassesThat().resideInAPackage("dev.pooltasks.domain.port.out..");

    @ArchTest
    static final ArchRule portsDoNotKnowServices = noClasses()
            .that().resideInAPackage("dev.pooltasks.domain.port..")
            .should().dependOnClassesThat().resideInAPackage("dev.pooltasks.domain.service..");

    @ArchTest
    static final ArchRule generatedContractTypesStayInTheHttpAdapters = noClasses()
            .that().resideOutsideOfPackages("dev.pooltasks.api.server..", "dev.pooltasks.adapter.in.rest..",
                    "dev.pooltasks.adapter.out.workspace..")
            .should().dependOnClassesThat().resideInAPackage("dev.pooltasks.api.server..")
            .because("the generated interface and DTOs are the wire format: the REST facade serves it and the "
                    + "upstream client speaks it; the domain and the application never see it");

    @ArchTest
    static final ArchRule nothingDependsOnTheApplication = noClasses()
            .that().resideOutsideOfPackage("dev.pooltasks.app..")
            .should().dependOnClassesThat().resideInAPackage("dev.pooltasks.app..");
}
