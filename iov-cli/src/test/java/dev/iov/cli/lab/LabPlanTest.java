package dev.iov.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.model.HostId;
import dev.iov.cli.UserInputException;
import java.net.InetAddress;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class LabPlanTest {

    @Test
    void theDefaultLabIsTwoHostsAndThreeVmsPerTenantSpreadRoundRobin() {
        LabPlan plan = LabPlan.of(2, 3);

        assertThat(plan.hosts()).containsExactly(HostId.of("h1"), HostId.of("h2"));
        assertThat(plan.networks()).extracting(Object::toString).containsExactly("tenant-a", "tenant-b");
        assertThat(plan.vms()).extracting(LabPlan.VmPlan::name).containsExactly("vm1", "vm2", "vm3", "vm4", "vm5",
                "vm6");
        assertThat(plan.vms()).extracting(vm -> vm.host().value()).containsExactly("h1", "h2", "h1", "h2", "h1",
                "h2");
        assertThat(plan.vms().get(3).ip()).isEqualTo("198.18.1.4/24");
        assertThat(LabPlan.namespaceOf("vm1")).isEqualTo("iov-lab-vm1");
        assertThat(LabPlan.namespaceOf("vm1", HostId.of("h2"))).isEqualTo("iov-lab-vm1-h2");
    }

    @Property
    void everyAddressIsInTheBenchmarkRangeAndEveryNetworkSpansSeveralHosts(
            @ForAll @IntRange(min = 2, max = 8) int hosts, @ForAll @IntRange(min = 2, max = 20) int vms)
            throws Exception {
        LabPlan plan = LabPlan.of(hosts, vms);

        assertThat(plan.vms()).hasSize(2 * vms);
        for (LabPlan.VmPlan vm : plan.vms()) {
            byte[] a = InetAddress.getByName(vm.ip().substring(0, vm.ip().indexOf('/'))).getAddress();
            assertThat(a[0] & 0xff).isEqualTo(198);
            assertThat(a[1] & 0xfe).isEqualTo(18);
            assertThat(LabPlan.namespaceOf(vm.name())).startsWith("iov-lab-");
        }
        for (var network : plan.networks()) {
            assertThat(plan.vms().stream().filter(vm -> vm.network().equals(network)).map(LabPlan.VmPlan::host)
                    .distinct().count()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void countsOutOfRangeAreUserErrorsNamingTheOption() {
        assertThatThrownBy(() -> LabPlan.of(2, 0)).isInstanceOf(UserInputException.class).hasMessageContaining(
                "--vms").hasMessageContaining("'0'");
        assertThatThrownBy(() -> LabPlan.of(1, 3)).isInstanceOf(UserInputException.class).hasMessageContaining(
                "--hosts").hasMessageContaining("'1'");
    }
}
