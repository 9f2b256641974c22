package dev.leakdx.facts;

/** A virtual/physical pair from crash {@code ptov}, {@code vtop} or {@code kmem ADDR}. */
public record AddressTranslation(long virtual, long physical, String how, Provenance provenance) implements Fact {
    @Override public String describe() {
        return how + ": virtual " + Units.hex(virtual) + " = physical " + Units.hex(physical);
    }
}
