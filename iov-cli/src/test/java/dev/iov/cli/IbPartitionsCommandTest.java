package dev.iov.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.iov.infiniband.partition.PartitionConfigParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code iov ib partitions parse} on files written here, in OpenSM's own style. */
class IbPartitionsCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FILE = """
            # OpenSM partitions, as an administrator writes them
            Default=0x7fff, ipoib : ALL, SELF=full ;
            storage = 0x8001 , mtu=5, rate=7 :
                0x0002c90300000001 = full,
                0x0002c90300000002 ;
            storage=0x0001 : 0x0002c90300000003=both ;
            """;

    @TempDir
    Path dir;

    @Test
    void jsonListsPartitionsInOrderMergedByPkeyWithFlagsAsExtraFields() throws Exception {
        Path conf = write(FILE);

        CliRunner.Result result = CliRunner.run("ib", "partitions", "parse", conf.toString(), "--json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(JSON.readTree(result.out())).isEqualTo(JSON.readTree("""
                {"partitions":[
                  {"name":"Default","pkey":"0x7fff","ipoib":true,"members":[
                    {"port":"ALL","membership":"limited"},{"port":"SELF","membership":"full"}]},
                  {"name":"storage","pkey":"0x0001","ipoib":false,"members":[
                    {"port":"0x0002c90300000001","membership":"full"},
                    {"port":"0x0002c90300000002","membership":"limited"},
                    {"port":"0x0002c90300000003","membership":"both"}],
                   "mtu":5,"rate":7}]}
                """));
    }

    @Test
    void formatConfWritesAFileThatParsesToTheSamePartitions() throws Exception {
        Path conf = write(FILE);

        CliRunner.Result result = CliRunner.run("ib", "partitions", "parse", conf.toString(), "--format", "conf");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(PartitionConfigParser.parse(result.out(), "written"))
                .isEqualTo(PartitionConfigParser.parse(FILE, "original"));
    }

    @Test
    void theTableNamesEachPartition() throws Exception {
        CliRunner.Result result = CliRunner.run("ib", "partitions", "parse", write(FILE).toString());

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Default", "0x7fff", "storage", "0x0001", "0x0002c90300000003=both");
    }

    @Test
    void aSyntaxErrorExitsTwoWithFileLineAndColumn() throws Exception {
        Path conf = write("Default=0x7fff : ALL ;\nbad=0x12 : 0xZZ ;\n");

        CliRunner.Result result = CliRunner.run("ib", "partitions", "parse", conf.toString(), "--json");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.errLines()).hasSize(1);
        assertThat(result.err()).startsWith("iov: " + conf + ":2:12: ");
    }

    @Test
    void mgidEntriesAreAcceptedAndWrittenBack() throws Exception {
        Path conf = write("IPoIB=0x8001,ipoib : ALL=full\n  mgid=ff12:401b::0707,sl=1 ;\n");

        CliRunner.Result result = CliRunner.run("ib", "partitions", "parse", conf.toString(), "--format", "conf");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("    mgid=ff12:401b:0000:0000:0000:0000:0000:0707,sl=1 ;\n");
        assertThat(PartitionConfigParser.parse(result.out(), "written"))
                .isEqualTo(PartitionConfigParser.parse(Files.readString(conf), "original"));
    }

    @Test
    void commentsInLatin1AreAcceptedAsOpenSmAcceptsThem() throws Exception {
        Path conf = dir.resolve("partitions.conf");
        Files.write(conf, "# r\u00e9seau \u00e0 part\nDefault=0x7fff : ALL ; # \u00a7\n"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));

        CliRunner.Result result = CliRunner.run("ib", "partitions", "parse", conf.toString(), "--json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("\"Default\"");
    }

    @Test
    void aNonAsciiByteOutsideACommentIsNamedByLineAndByteColumn() throws Exception {
        Path conf = dir.resolve("partitions.conf");
        Files.write(conf, "# ok\nP\u00e9=0x1 : ALL ;\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));

        CliRunner.Result result = CliRunner.run("ib", "partitions", "parse", conf.toString());

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).containsExactly("iov: " + conf
                + ":2:2: non-ASCII byte 0xe9 outside a comment");
    }

    @Test
    void aCharacterDeviceOrAHugeSparseFileIsRefusedAtTheLimit() throws Exception {
        Path sparse = dir.resolve("huge.conf");
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(sparse.toFile(), "rw")) {
            file.setLength(10L << 30);
        }

        for (String input : List.of("/dev/zero", sparse.toString())) {
            CliRunner.Result result = CliRunner.run("ib", "partitions", "parse", input);

            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.errLines()).containsExactly("iov: FILE " + input
                    + ": larger than the 16 MiB limit for this file");
        }
    }

    @Test
    void badOptionsAndAMissingFileExitTwo() throws Exception {
        Path conf = write(FILE);

        assertThat(CliRunner.run("ib", "partitions", "parse", conf.toString(), "--format", "xml").err())
                .contains("--format 'xml'");
        assertThat(CliRunner.run("ib", "partitions", "parse", conf.toString(), "--format", "conf", "--json")
                .exitCode()).isEqualTo(2);
        CliRunner.Result missing = CliRunner.run("ib", "partitions", "parse", dir.resolve("nope.conf").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("nope.conf' does not exist");
    }

    private Path write(String text) throws Exception {
        Path conf = dir.resolve("partitions.conf");
        Files.writeString(conf, text);
        return conf;
    }
}
