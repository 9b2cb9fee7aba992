package io.github.flinkconfluent.connector;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Package rules of the connector's main code, checked on the compiled classes: a cycle between
 * packages means neither side can change (or be understood) without the other, so none are allowed.
 */
class ArchitectureTest {

    private static final JavaClasses MAIN =
            new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                    .importPackages("io.github.flinkconfluent.connector");

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.github.flinkconfluent.(**)").should().beFreeOfCycles().check(MAIN);
    }
}
