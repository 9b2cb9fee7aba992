package io.github.flinkconfluent.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that hands tests the real broker and registry and unique names.
 *
 * <p>{@code @ExtendWith(ConfluentServicesExtension.class)}, then declare parameters of type {@link
 * KafkaBroker}, {@link ApicurioRegistry} or {@link TestNames} in test or lifecycle methods; a
 * service starts when the first parameter asks for it. For example:
 *
 * <pre>{@code
 * @ExtendWith(ConfluentServicesExtension.class)
 * class OrdersITCase {
 *     @Test
 *     void readsOrders(KafkaBroker kafka, ApicurioRegistry registry, TestNames names) {
 *         String topic = names.topic("orders");
 *         kafka.createTopic(topic, 3);
 *         ... kafka.bootstrapServers() ... registry.url() ...
 *     }
 * }
 * }</pre>
 *
 * <p>Code that is not a test method (a {@code static} field initializer, a helper) can use {@link
 * ConfluentTestServices} directly.
 */
public final class ConfluentServicesExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == KafkaBroker.class
                || type == ApicurioRegistry.class
                || type == TestNames.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type == KafkaBroker.class) {
            return ConfluentTestServices.kafka();
        }
        if (type == ApicurioRegistry.class) {
            return ConfluentTestServices.registry();
        }
        String testName =
                context.getRequiredTestClass().getSimpleName()
                        + context.getTestMethod().map(m -> "-" + m.getName()).orElse("");
        return new TestNames(testName);
    }
}
