package dev.iov.linux.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Properties of the codec: whatever bytes arrive, decoding ends normally or in {@link NetlinkDecodeException},
 * never in another exception; and any attribute tree the writer encodes reads back unchanged.
 */
class NetlinkCodecPropertiesTest {

    // ---- decoding never fails in any other way ---------------------------------------------------------------

    @Property(tries = 3000)
    void randomBytesOnlyEverRaiseTheDecodeException(@ForAll @Size(max = 700) byte[] bytes) {
        decodeEverything(ByteBuffer.wrap(bytes));
    }

    @Property(tries = 3000)
    void plausibleButBrokenMessagesOnlyEverRaiseTheDecodeException(@ForAll("plausibleDatagrams") byte[] bytes) {
        decodeEverything(ByteBuffer.wrap(bytes));
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        decodeEverything(direct);
    }

    /**
     * Runs every decoding entry point over the bytes: the message walk, the link, address, error and VF parsers, and
     * a walk that reads every attribute with every getter and descends into every attribute as if nested.
     */
    static void decodeEverything(ByteBuffer buffer) {
        int end = buffer.limit();
        tolerate(() -> walkAttributes(buffer, 0, end, 0));
        tolerate(() -> new VfInfoParser().parse(buffer, 0, end, true));
        tolerate(() -> new VfInfoParser().parse(buffer, 0, end, false));
        tolerate(() -> {
            MessageReader messages = new MessageReader().wrap(buffer, 0, end);
            LinkParser links = new LinkParser();
            AddressParser addresses = new AddressParser();
            ErrorReply errors = new ErrorReply();
            while (messages.next()) {
                tolerate(() -> links.parse(messages));
                tolerate(() -> addresses.parse(messages));
                tolerate(() -> errors.readError(messages).detail());
                tolerate(() -> errors.readDone(messages).detail());
                for (int skip : new int[] {0, 4, 8, 16, 20}) {
                    int start = Math.min(messages.payloadOffset() + skip, messages.payloadEnd());
                    tolerate(() -> walkAttributes(buffer, start, messages.payloadEnd(), 0));
                }
            }
        });
    }

    private static void walkAttributes(ByteBuffer buffer, int start, int end, int depth) {
        AttributeReader attrs = new AttributeReader().wrap(buffer, start, end);
        while (attrs.next()) {
            tolerate(attrs::u8);
            tolerate(attrs::u16);
            tolerate(attrs::be16);
            tolerate(attrs::s32);
            tolerate(attrs::u32);
            tolerate(attrs::u64);
            tolerate(() -> attrs.s32At(8));
            tolerate(() -> attrs.u64At(4));
            tolerate(() -> attrs.be16At(12));
            tolerate(attrs::string);
            tolerate(attrs::bytes);
            tolerate(attrs::macAddress);
            tolerate(attrs::inetAddress);
            if (depth < 4) {
                tolerate(() -> walkAttributes(buffer, attrs.payloadOffset(), attrs.offset() + attrs.length(),
                        depth + 1));
            }
        }
    }

    /** Runs the decoding step; the decode exception is an allowed outcome, any other exception fails the property. */
    private static void tolerate(Runnable step) {
        try {
            step.run();
        } catch (NetlinkDecodeException expected) {
            assertThat(expected.offset()).isGreaterThanOrEqualTo(0);
            assertThat(expected.getMessage()).contains("at offset " + expected.offset());
        }
    }

    @Provide
    Arbitrary<byte[]> plausibleDatagrams() {
        return Arbitraries.randomValue(NetlinkCodecPropertiesTest::plausibleDatagram);
    }

    /**
     * One to three messages of the types the parsers read, with a run of attributes whose lengths are mostly right,
     * sometimes off, nested a few levels: close enough to real replies to reach deep into the parsers.
     */
    private static byte[] plausibleDatagram(Random random) {
        ByteBuffer out = ByteBuffer.allocate(8192).order(java.nio.ByteOrder.nativeOrder());
        int messages = 1 + random.nextInt(3);
        int[] types = {NetlinkConstants.RTM_NEWLINK, NetlinkConstants.RTM_NEWADDR, NetlinkConstants.NLMSG_ERROR,
                NetlinkConstants.NLMSG_DONE, random.nextInt(0x10000)};
        for (int m = 0; m < messages; m++) {
            int start = out.position();
            out.putInt(0).putShort((short) types[random.nextInt(types.length)])
                    .putShort((short) random.nextInt(0x400)).putInt(random.nextInt()).putInt(random.nextInt());
            byte[] fixed = new byte[random.nextInt(4) == 0 ? random.nextInt(24) : 16];
            random.nextBytes(fixed);
            out.put(fixed);
            soup(random, out, 0);
            int length = out.position() - start;
            out.putInt(start, random.nextInt(8) == 0 ? random.nextInt(length + 32) : length);
            while (out.position() % 4 != 0 && random.nextBoolean()) {
                out.put((byte) 0);
            }
        }
        if (random.nextInt(10) == 0) {
            out.position(Math.max(0, out.position() - random.nextInt(8)));
        }
        byte[] bytes = new byte[out.position()];
        out.flip().get(bytes);
        return bytes;
    }

    private static void soup(Random random, ByteBuffer out, int depth) {
        int count = random.nextInt(6);
        for (int i = 0; i < count && out.remaining() > 600; i++) {
            int start = out.position();
            int type = random.nextInt(4) == 0 ? random.nextInt(0x10000) : 1 + random.nextInt(40);
            out.putShort((short) 0).putShort((short) type);
            if (depth < 3 && random.nextInt(3) == 0) {
                if (random.nextBoolean()) {
                    out.put(new byte[16]);
                }
                soup(random, out, depth + 1);
            } else {
                byte[] payload = new byte[random.nextInt(4) == 0 ? random.nextInt(250) : random.nextInt(24)];
                random.nextBytes(payload);
                out.put(payload);
            }
            int length = out.position() - start;
            out.putShort(start, (short) (random.nextInt(8) == 0 ? random.nextInt(0x10000) : length));
            while (out.position() % 4 != 0) {
                out.put((byte) (random.nextInt(10) == 0 ? random.nextInt() : 0));
            }
        }
    }

    // ---- encode ⇄ decode ----------------------------------------------------------------------------------------

    /** An attribute: a leaf with a payload, or a nest of attributes. */
    sealed interface Node permits Leaf, Nest {
        int type();
    }

    record Leaf(int type, byte[] payload) implements Node {
        @Override
        public String toString() {
            return "Leaf[" + type + ", " + payload.length + " bytes]";
        }
    }

    record Nest(int type, boolean nestedFlag, List<Node> children) implements Node {
    }

    /** Fills the buffer before encoding, so that padding the writer forgets to zero shows up. */
    private static final byte[] JUNK = new byte[1 << 17];

    static {
        java.util.Arrays.fill(JUNK, (byte) 0x5A);
    }

    @Property(tries = 1500)
    void attributeTreesRoundTrip(@ForAll("trees") List<Node> tree) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(JUNK.length);
        buffer.put(JUNK).position(8);
        NetlinkMessageWriter writer = new NetlinkMessageWriter();
        writer.begin(buffer, NetlinkConstants.RTM_NEWLINK, NetlinkConstants.NLM_F_REQUEST);
        writer.reserveIfInfoMsg().index(7);
        for (Node node : tree) {
            write(writer, node);
        }
        int length = writer.finish();

        assertThat(buffer.position()).isEqualTo(8);
        assertThat(buffer.remaining()).isEqualTo(length);
        MessageReader message = new MessageReader().wrap(buffer, buffer.position(), buffer.limit());
        assertThat(message.next()).isTrue();
        assertThat(message.length()).isEqualTo(length);
        int first = message.requirePayload(IfInfoMsg.LENGTH);
        assertThat(new IfInfoMsg().wrap(buffer, message.payloadOffset()).index()).isEqualTo(7);
        AttributeReader attrs = new AttributeReader().wrap(buffer, first, message.payloadEnd());
        readBack(buffer, attrs, tree);
        assertThat(message.next()).isFalse();
    }

    private static void write(NetlinkMessageWriter writer, Node node) {
        if (node instanceof Leaf leaf) {
            writer.putBytes(leaf.type(), leaf.payload());
        } else if (node instanceof Nest nest) {
            int token = writer.beginNested(nest.type(), nest.nestedFlag());
            for (Node child : nest.children()) {
                write(writer, child);
            }
            writer.endNested(token);
        }
    }

    private static void readBack(ByteBuffer buffer, AttributeReader attrs, List<Node> expected) {
        for (Node node : expected) {
            assertThat(attrs.next()).as("attribute %s present", node).isTrue();
            assertThat(attrs.offset() % 4).as("alignment").isZero();
            assertThat(attrs.type()).isEqualTo(node.type());
            if (node instanceof Leaf leaf) {
                assertThat(attrs.isNestedFlagSet()).isFalse();
                assertThat(attrs.bytes()).isEqualTo(leaf.payload());
                int padEnd = Math.min(attrs.offset() + NativeBytes.align(attrs.length()), buffer.limit());
                for (int i = attrs.offset() + attrs.length(); i < padEnd; i++) {
                    assertThat(buffer.get(i)).as("padding byte at %d", i).isZero();
                }
            } else if (node instanceof Nest nest) {
                assertThat(attrs.isNestedFlagSet()).isEqualTo(nest.nestedFlag());
                assertThat(attrs.length() % 4).as("a nest's length covers its padded contents").isZero();
                AttributeReader children = attrs.nested(new AttributeReader());
                readBack(buffer, children, nest.children());
                assertThat(children.next()).as("no extra attribute in %s", nest).isFalse();
            }
        }
        assertThat(attrs.next()).as("no extra attribute").isFalse();
    }

    @Provide
    Arbitrary<List<Node>> trees() {
        return node(3).list().ofMaxSize(6);
    }

    private static Arbitrary<Node> node(int depth) {
        Arbitrary<Integer> types = Arbitraries.integers().between(0, NetlinkConstants.NLA_TYPE_MASK);
        Arbitrary<byte[]> payloads = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(13),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(600));
        Arbitrary<Node> leaf = Combinators.combine(types, payloads).as(Leaf::new);
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<Node> nest = Combinators.combine(types, Arbitraries.of(true, false),
                node(depth - 1).list().ofMaxSize(4).map(l -> (List<Node>) new ArrayList<>(l))).as(Nest::new);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, leaf),
                net.jqwik.api.Tuple.of(1, nest));
    }
}
