package dev.iov.ethernet.javaswitch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.model.VnicId;
import dev.iov.api.model.VnicStats;
import dev.iov.api.net.InterfaceName;
import dev.iov.api.net.MacAddress;
import dev.iov.api.spi.AttachRequest;
import dev.iov.api.spi.Attachment;
import dev.iov.api.spi.DiscoveredPort;
import dev.iov.api.spi.OwnershipException;
import dev.iov.api.spi.RecordedAttachment;
import dev.iov.api.spi.RestoreReport;
import dev.iov.linux.netlink.LinkInfo;
import dev.iov.linux.netlink.Rtnetlink;
import dev.iov.testing.Privileged;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A manager restart on the real kernel, as the contract does not show it: VMs are network namespaces whose NICs are
 * the switch's persistent TAPs, a restart is a new backend with the same id, and what the new one may adopt, delete
 * or give away is decided by the TAPs' aliases on the host.
 */
@Privileged(tools = {"ip", "ping"}, devices = {"/dev/net/tun"})
class JavaSwitchRestartIT {

    private static final String ID = "h1/java-switch";
    private static final MacAddress MAC_A = MacAddress.parse("02:00:5e:50:00:01");
    private static final MacAddress MAC_B = MacAddress.parse("02:00:5e:50:00:02");
    private static final String IP_A = "198.18.6.1";
    private static final String IP_B = "198.18.6.2";
    /** Two vNIC ids with the same CRC-32 (0x89d907bb), so the same TAP name. */
    private static final String COLLIDES = "9qtwtlx6ccpw";
    private static final String COLLIDES_TOO = "qz733v5xwsqh";

    private Vms vms;
    private final List<JavaSwitchBackend> backends = new ArrayList<>();

    @BeforeEach
    void setUp() {
        vms = new Vms();
    }

    @AfterEach
    void tearDown() {
        List<String> names = vms.namespaceNames();
        try {
            backends.forEach(JavaSwitchBackend::close);
        } finally {
            vms.close();
        }
        String left = Vms.netnsList();
        names.forEach(name -> assertThat(left).as("namespace %s was deleted", name).doesNotContain(name));
        assertThat(Vms.hostLinks()).as("nothing of %s in the host namespace", ID).doesNotContain("iov:" + ID);
    }

    /** Attaches a vNIC with a backend that then stops, as a manager does before a restart. */
    private Attachment attachedBeforeARestart(AttachRequest request) {
        JavaSwitchBackend first = start(vms.placement);
        Attachment attachment = first.attach(request);
        first.close();
        return attachment;
    }

    private JavaSwitchBackend start(TapPlacement placement) {
        JavaSwitchBackend backend = JavaSwitchBackend.builder(ID).tapPlacement(placement).build();
        backends.add(backend);
        return backend;
    }

    @Test
    void aRestartKeepsTrafficFlowingBetweenTwoVmsAfterReadoption() {
        JavaSwitchBackend first = start(vms.placement);
        AttachRequest ra = Vms.request("a-eth0", "a", 100, MAC_A, null);
        AttachRequest rb = Vms.request("b-eth0", "b", 100, MAC_B, null);
        Attachment a = first.attach(ra);
        Attachment b = first.attach(rb);
        vms.configure("a", a.handle(), IP_A + "/24");
        vms.configure("b", b.handle(), IP_B + "/24");
        assertThat(vms.ping("a", IP_B, 2)).as("a reaches b before the restart").isTrue();

        first.close();
        assertThat(vms.run("a", "ip", "link", "show", a.handle())).as("the VM keeps its NIC, without carrier")
                .contains("NO-CARRIER").contains(MAC_A.toString());
        assertThat(vms.ping("a", IP_B, 2)).as("nothing carries frames while no switch runs").isFalse();

        JavaSwitchBackend second = start(vms.placement);
        RestoreReport report = second.restore(List.of(new RecordedAttachment(ra, a), new RecordedAttachment(rb, b)));

        assertThat(report.missing()).isEmpty();
        assertThat(report.adopted()).extracting(Attachment::handle).containsExactlyInAnyOrder(a.handle(), b.handle());
        assertThat(vms.ping("a", IP_B, 3)).as("a reaches b through the new switch").isTrue();
        VnicStats sentByA = second.stats(a);
        VnicStats receivedByB = second.stats(b);
        assertThat(sentByA.txPackets()).as("the new switch took a's frames").isGreaterThanOrEqualTo(3);
        assertThat(receivedByB.rxPackets()).as("and delivered them to b").isGreaterThanOrEqualTo(3);
        assertThat(vms.run("a", "ip", "address", "show", a.handle())).as("the VM's own settings survived")
                .contains(IP_A + "/24");
    }

    @Test
    void aTapIsFoundAgainInTheVmNamespaceTheAttachmentNames() {
        AttachRequest ra = Vms.request("a-eth0", "a", 100, MAC_A, null);
        Attachment a = attachedBeforeARestart(ra);
        assertThat(a.details()).containsEntry("namespace", vms.vm("a").name());

        // The new backend puts new TAPs in its own namespace: only the recorded name leads to the VM's.
        JavaSwitchBackend second = start(TapPlacement.OWN_NAMESPACE);
        RestoreReport report = second.restore(List.of(new RecordedAttachment(ra, a)));

        assertThat(report.adopted()).singleElement().satisfies(adopted -> {
            assertThat(adopted.handle()).isEqualTo(a.handle());
            assertThat(adopted.details()).containsEntry("namespace", vms.vm("a").name());
        });
        assertThat(second.discover(Vms.HOST)).singleElement().satisfies(p -> {
            assertThat(p.owner()).contains(VnicId.of("a-eth0"));
            assertThat(p.segment()).hasValue(100);
        });

        second.detach(Attachment.of(a.vnic(), ID, a.handle()));

        assertThat(vms.exec("a", 10, "ip", "link", "show", a.handle()).exit()).as("TAP deleted in the VM")
                .isNotZero();
        assertThat(second.discover(Vms.HOST)).isEmpty();
    }

    @Test
    void aTapMarkedForAnotherVnicIsNeitherAdoptedNorTouched() {
        AttachRequest ra = Vms.request("a-eth0", "a", 100, MAC_A, null);
        Attachment a = attachedBeforeARestart(ra);
        vms.run("a", "ip", "link", "set", "dev", a.handle(), "alias", "iov:" + ID + ":web-9-eth0");
        String before = state(link("a", a.handle()).orElseThrow());

        JavaSwitchBackend second = start(vms.placement);
        RestoreReport report = second.restore(List.of(new RecordedAttachment(ra, a)));

        assertThat(report.adopted()).isEmpty();
        assertThat(report.missing()).singleElement().satisfies(m -> assertThat(m.reason())
                .contains("alias 'iov:" + ID + ":web-9-eth0'").contains("not marked for vNIC 'a-eth0'"));
        assertThatThrownBy(() -> second.attach(ra)).as("a repair does not take it over")
                .isInstanceOf(OwnershipException.class).hasMessageContaining("web-9-eth0")
                .satisfies(e -> assertThat(((OwnershipException) e).owner()).contains(VnicId.of("web-9-eth0")));
        assertThat(second.discover(Vms.HOST)).as("no port of a's").isEmpty();
        second.detach(a);
        second.abandon(ra);

        assertThat(link("a", a.handle()).map(JavaSwitchRestartIT::state))
                .as("untouched by restore, attach, detach and abandon").contains(before);
    }

    @Test
    void aTapWithoutAliasIsNotIovsAndIsLeftAlone() {
        AttachRequest ra = Vms.request("a-eth0", "a", 100, MAC_A, null);
        Attachment a = attachedBeforeARestart(ra);
        vms.run("a", "ip", "link", "set", "dev", a.handle(), "alias", "");
        assertThat(link("a", a.handle()).orElseThrow().alias()).isEmpty();

        JavaSwitchBackend second = start(vms.placement);
        RestoreReport report = second.restore(List.of(new RecordedAttachment(ra, a)));

        assertThat(report.missing()).singleElement().satisfies(m -> assertThat(m.reason())
                .contains("TAP " + a.handle() + " without alias"));
        assertThat(second.discover(Vms.HOST)).as("not iov's: not reported").isEmpty();
        assertThatThrownBy(() -> second.attach(ra)).isInstanceOf(OwnershipException.class)
                .hasMessageContaining("is not a port iov made");
        assertThat(link("a", a.handle())).as("still there").isPresent();
    }

    @Test
    void aMissingTapKeepsItsNameFromAVnicWithTheSameCrcAndARepairRecreatesIt() {
        assertThat(JavaSwitchBackend.tapName(VnicId.of(COLLIDES)))
                .isEqualTo(JavaSwitchBackend.tapName(VnicId.of(COLLIDES_TOO)));
        AttachRequest ra = Vms.request(COLLIDES, "a", 100, MAC_A, null);
        Attachment a = attachedBeforeARestart(ra);
        vms.run("a", "ip", "link", "del", "dev", a.handle());

        JavaSwitchBackend second = start(vms.placement);
        RestoreReport report = second.restore(List.of(new RecordedAttachment(ra, a)));

        assertThat(report.missing()).singleElement().satisfies(m -> assertThat(m.reason())
                .contains("no TAP " + a.handle() + " in namespace " + vms.vm("a").name()));
        assertThatThrownBy(() -> second.attach(Vms.request(COLLIDES_TOO, "b", 100, MAC_B, null)))
                .as("the name stays the missing vNIC's").isInstanceOf(OwnershipException.class)
                .hasMessageContaining("CRC-32").hasMessageContaining(COLLIDES);
        assertThat(vms.exec("b", 10, "ip", "link", "show", a.handle()).exit()).as("no TAP made for it").isNotZero();
        assertThatThrownBy(() -> second.stats(a)).hasMessageContaining("missing")
                .hasMessageContaining("attach the vNIC again");

        Attachment repaired = second.attach(ra);

        assertThat(repaired.handle()).isEqualTo(a.handle());
        assertThat(vms.run("a", "ip", "link", "show", a.handle())).contains("alias iov:" + ID + ":" + COLLIDES);
        second.detach(repaired);
        Attachment other = second.attach(Vms.request(COLLIDES_TOO, "b", 100, MAC_B, null));
        assertThat(other.handle()).as("released by the detach, the name can be another's").isEqualTo(a.handle());
    }

    @Test
    void aLeakedTapShowsInDiscoverWithItsOwnerAndDetachFromVnicAndHandleRemovesIt() {
        JavaSwitchBackend first = start(vms.placement);
        AttachRequest ra = Vms.request("a-eth0", "a", 100, MAC_A, null);
        Attachment a = first.attach(ra);
        // b's VM shares a's namespace, so that the new backend looks where b's TAP is.
        Attachment b = first.attach(Vms.request("b-eth0", "a", 100, MAC_B, null));
        first.close();

        JavaSwitchBackend second = start(vms.placement);
        second.restore(List.of(new RecordedAttachment(ra, a)));

        assertThat(second.discover(Vms.HOST)).extracting(DiscoveredPort::handle, DiscoveredPort::owner,
                DiscoveredPort::segment).containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(a.handle(), Optional.of(a.vnic()),
                                java.util.OptionalInt.of(100)),
                        org.assertj.core.groups.Tuple.tuple(b.handle(), Optional.of(b.vnic()),
                                java.util.OptionalInt.empty()));
        assertThatThrownBy(() -> second.detach(Attachment.of(VnicId.of("x-eth0"), ID, b.handle())))
                .isInstanceOf(OwnershipException.class);

        second.detach(Attachment.of(b.vnic(), ID, b.handle()));

        assertThat(link("a", b.handle())).as("b's TAP deleted").isEmpty();
        assertThat(link("a", a.handle())).as("a's TAP kept").isPresent();
        assertThat(second.discover(Vms.HOST)).extracting(DiscoveredPort::handle).containsExactly(a.handle());
    }

    @Test
    void recordsThisBackendCannotHaveMadeAreMissingWithTheirReasonAndChangeNothing() {
        JavaSwitchBackend backend = start(vms.placement);
        AttachRequest ra = Vms.request("a-eth0", "a", 100, MAC_A, null);
        String tap = JavaSwitchBackend.tapName(VnicId.of("a-eth0")).value();

        RestoreReport otherBackend = backend.restore(List.of(new RecordedAttachment(ra,
                Attachment.of(VnicId.of("a-eth0"), "h2/java-switch", tap))));
        RestoreReport otherName = backend.restore(List.of(new RecordedAttachment(ra,
                Attachment.of(VnicId.of("a-eth0"), ID, "iov00000000"))));
        RestoreReport goneNamespace = backend.restore(List.of(new RecordedAttachment(ra,
                new Attachment(VnicId.of("a-eth0"), ID, tap, java.util.Map.of("namespace", "iov-t-gone-0")))));

        assertThat(otherBackend.missing()).singleElement().satisfies(m -> assertThat(m.reason())
                .isEqualTo("recorded for backend 'h2/java-switch', not '" + ID + "'"));
        assertThat(otherName.missing()).singleElement().satisfies(m -> assertThat(m.reason())
                .contains("handle 'iov00000000' is not the TAP name of vNIC 'a-eth0' (" + tap + ")"));
        assertThat(goneNamespace.missing()).singleElement().satisfies(m -> assertThat(m.reason())
                .isEqualTo("namespace iov-t-gone-0 of TAP " + tap + " is gone"));
        assertThat(goneNamespace.adopted()).isEmpty();
        assertThatThrownBy(() -> backend.stats(Attachment.of(VnicId.of("a-eth0"), ID, tap)))
                .as("the vNIC keeps its name").hasMessageContaining("is missing (namespace iov-t-gone-0");
        assertThat(Vms.hostLinks()).as("no TAP made in the host namespace").doesNotContain(tap);
        assertThat(vms.namespaceNames()).as("no VM namespace was needed").isEmpty();

        Attachment repaired = backend.attach(ra);
        assertThat(repaired.details()).containsEntry("namespace", vms.vm("a").name());
    }

    @Test
    void withoutPersistenceTheTapsGoWithTheSwitch() {
        JavaSwitchBackend backend = JavaSwitchBackend.builder(ID).tapPlacement(vms.placement).persistentTaps(false)
                .build();
        backends.add(backend);
        AttachRequest ra = Vms.request("a-eth0", "a", 100, MAC_A, null);
        Attachment a = backend.attach(ra);
        assertThat(vms.run("a", "ip", "-d", "link", "show", a.handle())).contains("persist off")
                .contains("alias iov:" + ID + ":a-eth0");

        backend.close();

        assertThat(link("a", a.handle())).isEmpty();
        assertThatThrownBy(() -> backend.attach(ra)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        JavaSwitchBackend second = start(vms.placement);
        assertThat(second.restore(List.of(new RecordedAttachment(ra, a))).missing()).hasSize(1);
    }

    /** What an operator would see change: the device itself, its mark, its addresses, its state. */
    private static String state(LinkInfo link) {
        return link.index() + " " + link.name() + " " + link.alias() + " " + link.macAddress() + " " + link.mtu() + " "
                + link.up();
    }

    private Optional<LinkInfo> link(String vm, String name) {
        try (Rtnetlink rtnl = Rtnetlink.open(vms.vm(vm))) {
            return rtnl.link(InterfaceName.of(name));
        }
    }
}
