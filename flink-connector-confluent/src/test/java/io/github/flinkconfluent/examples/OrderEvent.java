package io.github.flinkconfluent.examples;

import java.util.Objects;

/**
 * An order as a plain Java class (a Flink POJO: public no-argument constructor, public fields),
 * bound to and from JSON Schema values by Jackson in the examples of {@code docs/datastream.md}.
 */
public class OrderEvent {
    public int customer_id;
    public int order_id;

    public OrderEvent() {}

    public OrderEvent(int customerId, int orderId) {
        this.customer_id = customerId;
        this.order_id = orderId;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OrderEvent other
                && customer_id == other.customer_id
                && order_id == other.order_id;
    }

    @Override
    public int hashCode() {
        return Objects.hash(customer_id, order_id);
    }

    @Override
    public String toString() {
        return "OrderEvent{customer_id=" + customer_id + ", order_id=" + order_id + "}";
    }
}
