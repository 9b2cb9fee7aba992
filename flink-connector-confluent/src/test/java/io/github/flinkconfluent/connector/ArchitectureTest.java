package io.github.flinkconfluent.connector;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.Public;
import org.apache.flink.annotation.PublicEvolving;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Package and API rules of the connector's main code, checked on the compiled classes.
 *
 * <ul>
 *   <li>A cycle between packages means neither side can change (or be understood) without the
 *       other, so none are allowed (the root package counts as a package of its own).
 *   <li>The user API ({@code @Public}/{@code @PublicEvolving} classes and their public nested
 *       classes) must not hand out or take types the user must not touch: a type of {@code
 *       sink.internal} or one marked {@code @Internal}. Otherwise an internal change breaks user
 *       code after all. Methods that implement a Flink interface are exempt: their signatures are
 *       Flink's ({@code Source#restoreEnumerator} takes the enumerator state).
 * </ul>
 */
class ArchitectureTest {

    private static final String ROOT = "io.github.flinkconfluent.connector";

    private static final JavaClasses MAIN =
            new ClassFileImporter()
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                    .importPackages(ROOT);

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.github.flinkconfluent.(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theUserApiExposesNoInternalType() {
        classes()
                .that(USER_API)
                .should(exposeNoInternalType())
                .because("internal types may change in any release")
                .check(MAIN);
    }

    /** Public classes marked (or nested in a class marked) {@code @Public(Evolving)}. */
    private static final DescribedPredicate<JavaClass> USER_API =
            DescribedPredicate.describe(
                    "are public API (@Public or @PublicEvolving)", ArchitectureTest::isUserApi);

    private static boolean isUserApi(JavaClass type) {
        if (!type.getModifiers().contains(JavaModifier.PUBLIC) || type.isAnonymousClass()) {
            return false;
        }
        for (Optional<JavaClass> c = Optional.of(type);
                c.isPresent();
                c = c.get().getEnclosingClass()) {
            JavaClass current = c.get();
            if (current.isAnnotatedWith(Internal.class)) {
                return false;
            }
            if (current.isAnnotatedWith(PublicEvolving.class)
                    || current.isAnnotatedWith(Public.class)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isInternal(JavaClass type) {
        JavaClass base = type.isArray() ? type.getBaseComponentType() : type;
        if (!base.getPackageName().startsWith(ROOT)) {
            return false;
        }
        if (base.getPackageName().contains(".sink.internal")) {
            return true;
        }
        for (Optional<JavaClass> c = Optional.of(base);
                c.isPresent();
                c = c.get().getEnclosingClass()) {
            if (c.get().isAnnotatedWith(Internal.class)) {
                return true;
            }
        }
        return false;
    }

    private static ArchCondition<JavaClass> exposeNoInternalType() {
        return new ArchCondition<>("expose no @Internal or sink.internal type") {
            @Override
            public void check(JavaClass type, ConditionEvents events) {
                for (JavaMember member : type.getMembers()) {
                    if (!member.getModifiers().contains(JavaModifier.PUBLIC)
                            && !member.getModifiers().contains(JavaModifier.PROTECTED)) {
                        continue;
                    }
                    if (member.getModifiers().contains(JavaModifier.SYNTHETIC)
                            || member.getModifiers().contains(JavaModifier.BRIDGE)) {
                        continue;
                    }
                    List<JavaType> signature = new ArrayList<>();
                    if (member instanceof JavaField field) {
                        signature.add(field.getType());
                    } else if (member instanceof JavaCodeUnit unit) {
                        if (implementsForeignMethod(type, unit)) {
                            continue;
                        }
                        signature.add(unit.getReturnType());
                        signature.addAll(unit.getParameterTypes());
                        unit.getThrowsClause().getTypes().forEach(signature::add);
                    }
                    signature.stream()
                            .flatMap(t -> t.getAllInvolvedRawTypes().stream())
                            .filter(ArchitectureTest::isInternal)
                            .distinct()
                            .forEach(
                                    internal ->
                                            events.add(
                                                    SimpleConditionEvent.violated(
                                                            member,
                                                            member.getFullName()
                                                                    + " exposes "
                                                                    + internal.getName())));
                }
            }
        };
    }

    /** Whether {@code unit} implements a method of a supertype outside the connector. */
    private static boolean implementsForeignMethod(JavaClass type, JavaCodeUnit unit) {
        return Stream.concat(
                        type.getAllRawSuperclasses().stream(), type.getAllRawInterfaces().stream())
                .filter(s -> !s.getPackageName().startsWith(ROOT))
                .flatMap(s -> s.getMethods().stream())
                .anyMatch(
                        m ->
                                m.getName().equals(unit.getName())
                                        && m.getRawParameterTypes().size()
                                                == unit.getRawParameterTypes().size());
    }
}
