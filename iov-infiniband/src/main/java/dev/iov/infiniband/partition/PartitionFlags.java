package dev.iov.infiniband.partition;

import java.util.Collections;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * The flags of a partition definition other than {@code defmember}: {@code ipoib} (OpenSM creates the IPoIB
 * broadcast group), the parameters of that group ({@code mtu}, {@code rate}, {@code sl}, {@code scope},
 * {@code Q_Key}, {@code TClass}, {@code FlowLabel}, given as IBTA codes) and {@code indx0} (OpenSM puts this
 * partition's key at index 0 of every member's P_Key table). Absent values mean OpenSM's defaults. {@code scope} may
 * be given more than once; OpenSM then creates the group in every scope listed.
 */
public final class PartitionFlags {

    /** No flags: a plain partition with OpenSM's defaults. */
    public static final PartitionFlags NONE = builder().build();

    private final boolean ipoib;
    private final boolean indx0;
    private final Integer mtu;
    private final Integer rate;
    private final Integer sl;
    private final Set<Integer> scopes;
    private final Long qKey;
    private final Integer tClass;
    private final Integer flowLabel;

    private PartitionFlags(Builder b) {
        this.ipoib = b.ipoib;
        this.indx0 = b.indx0;
        this.mtu = b.mtu;
        this.rate = b.rate;
        this.sl = b.sl;
        this.scopes = Collections.unmodifiableSet(new TreeSet<>(b.scopes));
        this.qKey = b.qKey;
        this.tClass = b.tClass;
        this.flowLabel = b.flowLabel;
    }

    /** @return a builder with no flags set */
    public static Builder builder() {
        return new Builder();
    }

    /** @return true when OpenSM should create the IPoIB broadcast group for this partition */
    public boolean ipoib() {
        return ipoib;
    }

    /** @return true when members get this partition's key at P_Key table index 0 */
    public boolean indx0() {
        return indx0;
    }

    /** @return the IBTA MTU code (1 = 256 bytes ... 5 = 4096 bytes) of the IPoIB group */
    public OptionalInt mtu() {
        return optional(mtu);
    }

    /** @return the IBTA rate code of the IPoIB group */
    public OptionalInt rate() {
        return optional(rate);
    }

    /** @return the service level of the partition */
    public OptionalInt sl() {
        return optional(sl);
    }

    /** @return the multicast scopes (1-15) of the IPoIB group, ascending; empty means OpenSM's default (2) */
    public Set<Integer> scopes() {
        return scopes;
    }

    /** @return the Q_Key of the IPoIB group */
    public OptionalLong qKey() {
        return qKey == null ? OptionalLong.empty() : OptionalLong.of(qKey);
    }

    /** @return the traffic class of the IPoIB group */
    public OptionalInt tClass() {
        return optional(tClass);
    }

    /** @return the flow label of the IPoIB group */
    public OptionalInt flowLabel() {
        return optional(flowLabel);
    }

    private static OptionalInt optional(Integer v) {
        return v == null ? OptionalInt.empty() : OptionalInt.of(v);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PartitionFlags)) {
            return false;
        }
        PartitionFlags f = (PartitionFlags) o;
        return ipoib == f.ipoib && indx0 == f.indx0 && Objects.equals(mtu, f.mtu) && Objects.equals(rate, f.rate)
                && Objects.equals(sl, f.sl) && scopes.equals(f.scopes) && Objects.equals(qKey, f.qKey)
                && Objects.equals(tClass, f.tClass) && Objects.equals(flowLabel, f.flowLabel);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ipoib, indx0, mtu, rate, sl, scopes, qKey, tClass, flowLabel);
    }

    /** @return the flags as OpenSM reads them after the P_Key, each preceded by a comma, e.g. {@code ,ipoib,mtu=4} */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        if (ipoib) {
            s.append(",ipoib");
        }
        if (indx0) {
            s.append(",indx0");
        }
        if (mtu != null) {
            s.append(",mtu=").append(mtu);
        }
        if (rate != null) {
            s.append(",rate=").append(rate);
        }
        if (sl != null) {
            s.append(",sl=").append(sl);
        }
        for (int scope : scopes) {
            s.append(",scope=").append(scope);
        }
        if (qKey != null) {
            s.append(",Q_Key=0x").append(Long.toHexString(qKey));
        }
        if (tClass != null) {
            s.append(",TClass=").append(tClass);
        }
        if (flowLabel != null) {
            s.append(",FlowLabel=0x").append(Integer.toHexString(flowLabel));
        }
        return s.toString();
    }

    /** Collects flags; every setter checks its range and names the flag and value it refuses. */
    public static final class Builder {
        private boolean ipoib;
        private boolean indx0;
        private Integer mtu;
        private Integer rate;
        private Integer sl;
        private final Set<Integer> scopes = new TreeSet<>();
        private Long qKey;
        private Integer tClass;
        private Integer flowLabel;

        private Builder() {
        }

        /**
         * @param on whether OpenSM creates the IPoIB broadcast group
         * @return this builder
         */
        public Builder ipoib(boolean on) {
            this.ipoib = on;
            return this;
        }

        /**
         * @param on whether members get this partition's key at P_Key table index 0
         * @return this builder
         */
        public Builder indx0(boolean on) {
            this.indx0 = on;
            return this;
        }

        /**
         * @param code IBTA MTU code 1 (256) to 5 (4096)
         * @return this builder
         */
        public Builder mtu(int code) {
            this.mtu = checked("mtu", code, 1, 5, "an IBTA MTU code 1 (256) to 5 (4096)");
            return this;
        }

        /**
         * @param code IBTA rate code 1 to 63 (6 bits; OpenSM refuses 0)
         * @return this builder
         */
        public Builder rate(int code) {
            this.rate = checked("rate", code, 1, 63, "an IBTA rate code 1 to 63");
            return this;
        }

        /**
         * @param level service level 0 to 15
         * @return this builder
         */
        public Builder sl(int level) {
            this.sl = checked("sl", level, 0, 15, "a service level 0 to 15");
            return this;
        }

        /**
         * Adds a multicast scope.
         *
         * @param scope 1 to 15 (2 = link local, 5 = site local, 8 = organization local, 14 = global)
         * @return this builder
         */
        public Builder scope(int scope) {
            scopes.add(checked("scope", scope, 1, 15, "a multicast scope 1 to 15"));
            return this;
        }

        /**
         * @param qKey 32-bit Q_Key (OpenSM uses its IPoIB default 0x0b1b when 0)
         * @return this builder
         */
        public Builder qKey(long qKey) {
            if (qKey < 0 || qKey > 0xffff_ffffL) {
                throw invalid("Q_Key", Long.toString(qKey), "expected a 32-bit Q_Key 0 to 0xffffffff");
            }
            this.qKey = qKey;
            return this;
        }

        /**
         * @param tClass traffic class 0 to 255
         * @return this builder
         */
        public Builder tClass(int tClass) {
            this.tClass = checked("TClass", tClass, 0, 255, "a traffic class 0 to 255");
            return this;
        }

        /**
         * @param flowLabel 20-bit flow label 0 to 0xfffff
         * @return this builder
         */
        public Builder flowLabel(int flowLabel) {
            this.flowLabel = checked("FlowLabel", flowLabel, 0, 0xfffff, "a 20-bit flow label 0 to 0xfffff");
            return this;
        }

        /** @return the flags */
        public PartitionFlags build() {
            return new PartitionFlags(this);
        }

        private static int checked(String flag, int value, int min, int max, String expected) {
            if (value < min || value > max) {
                throw invalid(flag, Integer.toString(value), "expected " + expected);
            }
            return value;
        }

        private static IllegalArgumentException invalid(String flag, String value, String why) {
            return new IllegalArgumentException("invalid partition flag " + flag + "='" + value + "': " + why);
        }
    }
}
