package dev.iov.infiniband.partition;

import dev.iov.api.net.Guid;
import dev.iov.api.net.PKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.iov.infiniband.partition.Membership.BOTH;
import static dev.iov.infiniband.partition.Membership.FULL;
import static dev.iov.infiniband.partition.Membership.LIMITED;
import static org.assertj.core.api.Assertions.assertThat;

class PartitionConfigParserTest {

    private static PartitionMember guid(long g, Membership m) {
        return PartitionMember.of(Guid.of(g), m);
    }

    private static PartitionMember group(PortGroup g, Membership m) {
        return PartitionMember.of(g, m);
    }

    private static PartitionConfig parse(String text) {
        return PartitionConfigParser.parse(text, "partitions.conf");
    }

    @Test
    void mgidEntriesPreCreateGroupsWithTheRestOfTheirLineAsFlags() {
        PartitionConfig config = parse("IPoIB=0x8001,ipoib,rate=7 : ALL=full,\n"
                + "  mgid=ff12:401b::0707,sl=1\n"
                + "  mgid = ff12:601b:0001::1:2 , rate=7, Q_Key=0x1a2b, TClass=4, FlowLabel=0x12, s=5\n"
                + "  SELF ,mgid=ff15::10.1.2.3 ; # a non-IP group\n"
                + "Other=0x2 : mgid=ff12:401b:ffff::ffff:ffff ; # the broadcast MGID is fine anywhere\n");

        Partition ipoib = config.partitions().get(0);
        assertThat(ipoib.members()).containsExactly(group(PortGroup.ALL, FULL), group(PortGroup.SELF, LIMITED));
        assertThat(ipoib.groups()).containsExactly(
                MulticastGroup.of("ff12:401b::707", PartitionFlags.builder().sl(1).build()),
                MulticastGroup.of("ff12:601b:1:0:0:0:1:2", PartitionFlags.builder().rate(7).qKey(0x1a2b).tClass(4)
                        .flowLabel(0x12).scope(5).build()),
                MulticastGroup.of("ff15::a01:203", PartitionFlags.NONE));
        assertThat(ipoib.groups().get(0).mgid()).isEqualTo("ff12:401b:0000:0000:0000:0000:0000:0707");
        assertThat(ipoib.groups().get(0).isIp()).isTrue();
        assertThat(ipoib.groups().get(2).isIp()).isFalse();
        assertThat(config.partitions().get(1).groups()).hasSize(1);
    }

    @Test
    void mgidEntriesAreWrittenBackAndReadToTheSamePartitions() {
        PartitionConfig config = parse("P=0x10,mtu=4 : 0x1=full, 0x2\n mgid=ff12:401b::1,mtu=4,sl=2\n"
                + " mgid=ff12::2 ;\nQ=0x11 : mgid=ff12::3 ;\n");

        String written = PartitionConfigWriter.write(config);

        assertThat(written).isEqualTo("P=0x0010,mtu=4 :\n"
                + "    0x0000000000000001=full,\n"
                + "    0x0000000000000002=limited\n"
                + "    mgid=ff12:401b:0000:0000:0000:0000:0000:0001,mtu=4,sl=2\n"
                + "    mgid=ff12:0000:0000:0000:0000:0000:0000:0002 ;\n"
                + "Q=0x0011 :\n"
                + "    mgid=ff12:0000:0000:0000:0000:0000:0000:0003 ;\n");
        assertThat(parse(written)).isEqualTo(config);
    }

    @Test
    void readsTheExampleFileCoveringEveryConstruct() throws IOException {
        String text;
        try (InputStream in = getClass().getResourceAsStream("/partitions/opensm-example.conf")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        PartitionConfig config = PartitionConfigParser.parse(text, "opensm-example.conf");

        PartitionConfig expected = PartitionConfig.of(List.of(
                Partition.builder("Default", PKey.of(0x7fff))
                        .flags(PartitionFlags.builder().ipoib(true).build())
                        .member(group(PortGroup.ALL, FULL)).member(group(PortGroup.SELF, FULL)).build(),
                Partition.builder("Storage", PKey.of(0x0002))
                        .flags(PartitionFlags.builder().ipoib(true).mtu(5).rate(7).sl(3).scope(2).scope(5)
                                .qKey(0x1b).tClass(8).flowLabel(0x12).build())
                        .member(guid(0x0002c90300456b21L, FULL)).member(guid(0x0002c90300456b22L, LIMITED))
                        .member(guid(0x0002c90300456b23L, BOTH)).member(guid(12345678901234L, LIMITED)).build(),
                Partition.builder("Compute", PKey.of(0x0003)).defaultMembership(FULL)
                        .member(group(PortGroup.ALL_CAS, FULL)).member(group(PortGroup.ALL_SWITCHES, LIMITED))
                        .member(group(PortGroup.ALL_ROUTERS, FULL)).member(group(PortGroup.SELF, LIMITED))
                        .member(guid(0x0002c90300456b24L, FULL)).build(),
                Partition.builder("0010", PKey.of(0x10)).member(group(PortGroup.ALL_CAS, LIMITED)).build(),
                Partition.builder("0011", PKey.of(0x11)).member(group(PortGroup.SELF, LIMITED)).build(),
                Partition.builder("Gen", PKey.of(0x0001)).flags(PartitionFlags.builder().indx0(true).build())
                        .member(guid(0x0002c90300456b25L, LIMITED)).member(guid(0x0002c90300456b26L, FULL)).build(),
                Partition.builder("ShareIO", PKey.of(0x80)).defaultMembership(FULL)
                        .member(guid(0x123451, FULL)).member(guid(0x123452, FULL))
                        .member(guid(0x123453, LIMITED)).member(guid(0x123455, FULL))
                        .member(guid(0x123459, FULL)).build(),
                Partition.builder("Last", PKey.of(0x4))
                        .member(guid(0x0002c90300456b27L, LIMITED)).member(group(PortGroup.ALL_SWITCHES, BOTH))
                        .build()));
        assertThat(config).isEqualTo(expected);
        assertThat(PartitionConfigParser.parse(PartitionConfigWriter.write(config), "rewritten")).isEqualTo(config);
    }

    @ParameterizedTest
    @CsvSource({
        "full, FULL", "f, FULL", "fu, FULL", "both, BOTH", "b, BOTH", "bo, BOTH",
        "limited, LIMITED", "l, LIMITED", "limi, LIMITED"})
    void membershipWordsAreAbbreviatedLikeOpenSm(String word, Membership expected) {
        PartitionConfig c = parse("P=0x1 : 0x1=" + word + ";");
        assertThat(c.partitions().get(0).members()).containsExactly(guid(1, expected));
    }

    @ParameterizedTest
    @CsvSource({
        "A, ALL", "AL, ALL", "ALL, ALL", "ALL_, ALL_CAS", "ALL_C, ALL_CAS", "ALL_CAS, ALL_CAS",
        "ALL_S, ALL_SWITCHES", "ALL_SWITCHES, ALL_SWITCHES", "ALL_R, ALL_ROUTERS", "ALL_ROUTERS, ALL_ROUTERS",
        "S, SELF", "SEL, SELF", "SELF, SELF"})
    void keywordsAreAbbreviatedLikeOpenSm(String word, PortGroup expected) {
        PartitionConfig c = parse("P=0x1 : " + word + ";");
        assertThat(c.partitions().get(0).members()).containsExactly(group(expected, LIMITED));
    }

    @Test
    void noneAndItsPrefixesNameNoPort() {
        assertThat(parse("P=0x1 : N, NO, NONE=full, 0x5 ;").partitions().get(0).members())
                .containsExactly(guid(5, LIMITED));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "m=4|mtu", "mt=4|mtu", "r=3|rate", "s=5|scope", "sc=5|scope", "sl=4|sl", "Q=0x10|Q_Key", "Q_K=16|Q_Key",
        "T=3|TClass", "F=0x10|FlowLabel", "i|ipoib", "ipo|ipoib", "indx0|indx0"})
    void flagsMatchAsPrefixesInOpenSmsOrder(String flag, String expected) {
        PartitionFlags f = parse("P=0x1," + flag + " : ALL;").partitions().get(0).flags();
        String rendered = f.toString();
        assertThat(rendered).startsWith("," + expected);
    }

    @Test
    void pkeysUseOnlyTheLowFifteenBitsInHexOrDecimal() {
        assertThat(parse("A=0x8001 : ALL; B=32770 : ALL; C=0X7FFE : ALL;").partitions())
                .extracting(Partition::pkey).containsExactly(PKey.of(1), PKey.of(2), PKey.of(0x7ffe));
    }

    @Test
    void generatedKeysCountUpSkippingKeysInUseAndTheDefault() {
        PartitionConfig c = parse("One=0x1 : ALL; A : ALL; Two=0x3 : ALL; B : ALL; C : ALL; A : SELF;");
        assertThat(c.partitions()).extracting(p -> p.name() + "=" + p.pkey())
                .containsExactly("One=0x0001", "A=0x0002", "Two=0x0003", "B=0x0004", "C=0x0005");
        assertThat(c.partition(PKey.of(2)).get().members())
                .containsExactly(group(PortGroup.ALL, LIMITED), group(PortGroup.SELF, LIMITED));
    }

    @Test
    void aNameOnlyDefaultMergesIntoTheDefaultPartition() {
        PartitionConfig c = parse("Default : ALL=full; Foo=0x7fff : SELF=full;");
        assertThat(c.partitions()).hasSize(1);
        Partition p = c.partitions().get(0);
        assertThat(p.name()).isEqualTo("Default");
        assertThat(p.pkey()).isEqualTo(Partition.DEFAULT_PKEY);
        assertThat(p.isDefault()).isTrue();
        assertThat(p.members()).containsExactly(group(PortGroup.ALL, FULL), group(PortGroup.SELF, FULL));
    }

    @Test
    void theDefaultKeyIsAlwaysNamedDefault() {
        assertThat(parse("Mine=0xffff : ALL;").partitions().get(0).name()).isEqualTo("Default");
    }

    @Test
    void repeatedKeysMergeKeepingTheFirstNameAndApplyingDefmemberPerDefinition() {
        PartitionConfig c = parse("First=0x20,defmember=full : 0x1; Second=0x8020 : 0x2;"
                + " Third=0x20,defmember=both : 0x3;");
        assertThat(c.partitions()).hasSize(1);
        Partition p = c.partitions().get(0);
        assertThat(p.name()).isEqualTo("First");
        assertThat(p.defaultMembership()).isEqualTo(FULL);
        assertThat(p.members()).containsExactly(guid(1, FULL), guid(2, LIMITED), guid(3, BOTH));
    }

    @Test
    void whitespaceCommentsAndWrappingAreAllowedAroundDelimiters() {
        String text = "\t  Name \t= \t0x5\t,\tipoib\t:\t# header\n"
                + "   0x1 \t= \tfull\t, # first\n"
                + "\n"
                + "   # only a comment\n"
                + "   0x2 , , 0x3\n"
                + "   ;  Other=0x6:0x7;Third=0x8:;\n";
        PartitionConfig c = parse(text);
        assertThat(c.partitions()).extracting(Partition::name).containsExactly("Name", "Other", "Third");
        assertThat(c.partitions().get(0).members()).containsExactly(guid(1, FULL), guid(2, LIMITED), guid(3, LIMITED));
        assertThat(c.partitions().get(2).members()).isEmpty();
    }

    @Test
    void emptyAndCommentOnlyTextsHoldNoPartitions() {
        assertThat(parse("")).isEqualTo(PartitionConfig.EMPTY);
        assertThat(parse("# nothing\n\n   \t\n# here ; : = ,\n")).isEqualTo(PartitionConfig.EMPTY);
    }

    @Test
    void writerSpellsEveryKeyAndMembershipOutOneMemberPerLine() {
        PartitionConfig config = PartitionConfig.of(List.of(
                Partition.builder("Storage", PKey.of(0x8002)).defaultMembership(FULL)
                        .flags(PartitionFlags.builder().ipoib(true).indx0(true).mtu(5).rate(7).sl(1).scope(5).scope(2)
                                .qKey(0x0b1b).tClass(4).flowLabel(0x12).build())
                        .member(guid(0x0002c90300456b21L, FULL)).member(group(PortGroup.ALL, LIMITED)).build(),
                Partition.builder("Empty", PKey.of(3)).build()));
        assertThat(PartitionConfigWriter.write(config)).isEqualTo(
                "Storage=0x0002,ipoib,indx0,mtu=5,rate=7,sl=1,scope=2,scope=5,Q_Key=0xb1b,TClass=4,FlowLabel=0x12,"
                        + "defmember=full :\n"
                        + "    0x0002c90300456b21=full,\n"
                        + "    ALL=limited ;\n"
                        + "Empty=0x0003 : ;\n");
        assertThat(PartitionConfigWriter.write(PartitionConfig.EMPTY)).isEmpty();
    }

    @Test
    void guidsMayUseAllSixtyFourBits() {
        assertThat(parse("P=0x1 : 0xffffffffffffffff, 18446744073709551615=f;").partitions().get(0).members())
                .containsExactly(guid(-1L, LIMITED), guid(-1L, FULL));
    }
}
