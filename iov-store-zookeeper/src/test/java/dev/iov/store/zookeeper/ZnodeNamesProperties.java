package dev.iov.store.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iov.api.store.StoreKeys;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.zookeeper.common.PathUtils;

/** Every valid store key maps to a legal znode name and back to itself; names it never writes are refused. */
class ZnodeNamesProperties {

    @Provide
    Arbitrary<String> keys() {
        // Printable ASCII with '/', '%' and '.' made frequent, since they are the characters that need care.
        Arbitrary<Character> chars = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.chars().range('!', '~')),
                net.jqwik.api.Tuple.of(2, Arbitraries.of('/', '%', '.')));
        return chars.list().ofMinSize(1).ofMaxSize(300)
                .map(list -> list.stream().map(String::valueOf).reduce("", String::concat))
                .filter(StoreKeys::isValidKey);
    }

    @Property(tries = 2000)
    void encodeThenDecodeIsTheKey(@ForAll("keys") String key) {
        assertThat(ZnodeNames.decode(ZnodeNames.encode(key))).isEqualTo(key);
    }

    @Property(tries = 2000)
    void everyKeyIsALegalZnodeName(@ForAll("keys") String key) {
        String name = ZnodeNames.encode(key);
        assertThat(name).doesNotContain("/").isNotEqualTo(".").isNotEqualTo("..");
        PathUtils.validatePath(ZooKeeperStateStore.RECORDS + "/" + name);
    }

    @Property(tries = 1000)
    void differentKeysHaveDifferentNames(@ForAll("keys") String a, @ForAll("keys") String b) {
        if (!a.equals(b)) {
            assertThat(ZnodeNames.encode(a)).isNotEqualTo(ZnodeNames.encode(b));
        }
    }

    @Property(tries = 1000)
    void randomNamesDecodeOrFailWithTheDocumentedException(@ForAll("keys") String name) {
        try {
            ZnodeNames.decode(name);
        } catch (IllegalArgumentException e) {
            assertThat(e).hasMessageContaining("'" + name + "'");
        }
    }

    @Example
    void specialKeysAreEscaped() {
        assertThat(ZnodeNames.encode("vnic/web-7")).isEqualTo("vnic%2Fweb-7");
        assertThat(ZnodeNames.encode("100%")).isEqualTo("100%25");
        assertThat(ZnodeNames.encode(".")).isEqualTo("%2E");
        assertThat(ZnodeNames.encode("..")).isEqualTo("%2E%2E");
        assertThat(ZnodeNames.encode("a.b")).isEqualTo("a.b");
        assertThatThrownBy(() -> ZnodeNames.decode("bad%zz")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'bad%zz'");
        assertThatThrownBy(() -> ZnodeNames.decode("cut%2")).isInstanceOf(IllegalArgumentException.class);
    }
}
