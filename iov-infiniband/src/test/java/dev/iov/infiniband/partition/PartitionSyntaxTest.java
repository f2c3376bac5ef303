package dev.iov.infiniband.partition;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every refusal names file:line:column and the bad token. */
class PartitionSyntaxTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        // text | location | message fragment
        "P=0x1 ALL;|f:1:1|no ':' after partition definition 'P=0x1 ALL'",
        "P=0x1\\n: ALL;|f:1:1|no ':'",
        "P=0x1,mtu=4;: ALL;|f:1:1|no ':'",
        "P=0x0 : ALL;|f:1:3|P_Key '0x0' names partition 0",
        "P=0x8000 : ALL;|f:1:3|partition 0",
        "P=0x10000 : ALL;|f:1:3|P_Key '0x10000' is larger than 0xffff",
        "P=010 : ALL;|f:1:3|P_Key '010': leading 0: OpenSM reads it as octal",
        "P=0xg : ALL;|f:1:3|P_Key '0xg': expected 1 to 16 hex digits after 0x",
        "P= : ALL;|f:1:4|empty P_Key",
        "P=-1 : ALL;|f:1:3|P_Key '-1': not a number",
        "P=1=2 : ALL;|f:1:3|P_Key '1=2'",
        "ThisNameIsFarTooLongForOpenSMsBuffer=0x1 : ALL;|f:1:1|longer than 31 characters",
        "P=0x1,bogus : ALL;|f:1:7|unknown partition flag 'bogus'",
        "P=0x1,in : ALL;|f:1:7|unknown partition flag 'in'",
        "P=0x1,,ipoib : ALL;|f:1:7|empty flag",
        "P=0x1,ipoib=1 : ALL;|f:1:13|flag 'ipoib' takes no value",
        "P=0x1,indx0=yes : ALL;|f:1:13|flag 'indx0' takes no value",
        "P=0x1,mtu : ALL;|f:1:7|flag 'mtu' (mtu) needs a value",
        "P=0x1,mtu=6 : ALL;|f:1:11|invalid partition flag mtu='6'",
        "P=0x1,mtu=0 : ALL;|f:1:11|mtu='0'",
        "P=0x1,mtu=4x : ALL;|f:1:11|mtu '4x': not a number",
        "P=0x1,rate=0 : ALL;|f:1:12|rate='0'",
        "P=0x1,sl=16 : ALL;|f:1:10|sl='16'",
        "P=0x1,scope=0 : ALL;|f:1:13|scope='0'",
        "P=0x1,Q_Key=0x100000000 : ALL;|f:1:13|Q_Key '0x100000000' is larger than 0xffffffff",
        "P=0x1,TClass=256 : ALL;|f:1:14|TClass='256'",
        "P=0x1,FlowLabel=0x100000 : ALL;|f:1:17|FlowLabel='1048576'",
        "P=0x1,mtu=4,m=5 : ALL;|f:1:13|flag 'm' (mtu) given twice",
        "P=0x1,defmember=x : ALL;|f:1:17|defmember 'x'",
        "P=0x1,defmember= : ALL;|f:1:7|needs a value",
        "P=0x1 : ALL=x;|f:1:13|membership 'x' of 'ALL'",
        "P=0x1 : ALL=;|f:1:12|empty membership after 'ALL='",
        "P=0x1 : =full;|f:1:9|no port before '=full'",
        "P=0x1 : all;|f:1:9|port 'all'",
        "P=0x1 : 0;|f:1:9|the zero GUID",
        "P=0x1 : 0x;|f:1:9|expected 1 to 16 hex digits",
        "P=0x1 : 0x10000000000000000;|f:1:9|more than 64 bits",
        "P=0x1 : 18446744073709551616;|f:1:9|more than 64 bits",
        "P=0x1 : 0123;|f:1:9|octal",
        "P=0x1 : mgid;|f:1:9|'mgid' needs a multicast GID",
        "P=0x1 : mgid= ;|f:1:9|'mgid' needs a multicast GID",
        "P=0x1 : mgid=fe80::1;|f:1:14|mgid 'fe80::1' is not multicast",
        "P=0x1 : mgid=ff12::1::2;|f:1:14|mgid 'ff12::1::2' is not an IPv6-style GID",
        "P=0x1 : mgid=ff12:0:0:0:0:0:0:0:1;|f:1:14|not an IPv6-style GID",
        "P=0x1 : mgid=ff12:1:2:3:4:5:6:7::;|f:1:14|not an IPv6-style GID",
        "P=0x1 : mgid=ff12::01.2.3.4;|f:1:14|not an IPv6-style GID",
        "P=0x1 : mgid=ff12:401b::1, 0x1234=full;|f:1:28|unknown multicast group flag '0x1234'",
        "P=0x1 : mgid=ff12:401b::1,ipoib;|f:1:27|unknown multicast group flag 'ipoib'",
        "P=0x1 : mgid=ff12:401b::1,join=full;|f:1:27|unknown multicast group flag 'join'",
        "P=0x1 : mgid=ff12:401b::1,;|f:1:27|empty flag",
        "P=0x1 : mgid=ff12:401b::1,sl=16;|f:1:30|sl='16'",
        "P=0x1 : mgid=ff12:401b::1,sl=1,sl=2;|f:1:32|given twice",
        "P=0x1 : mgid=ff12:401b:8002::1;|f:1:14|carries P_Key bits 0x8002, neither this partition's 0x0001",
        "P=0x1 : mgid=ff12:401b::1,rate=7;|f:1:14|has rate=7 but its partition does not set rate",
        "P=0x1,mtu=4 : mgid=ff12:601b::1,mtu=5;|f:1:20|has mtu=5 but its partition has mtu=4",
        "P=0x1 : mgid=ff12:401b::1;\\nP=0x1 : mgid=ff12:401b:1::1;|f:2:14|the group already given at line 1:14",
        "P=0x1 : mgid=ff15::1;\\nQ=0x2 : mgid=FF15:0::1;|f:2:14|the group already given at line 1:14",
        "ShareIO = 0x80 : defmember=limited : 0x123456;|f:1:28|membership 'limited : 0x123456' of 'defmember'",
        "P=0x1 : ALL;\\nQ=0x2 : A B;|f:2:9|port 'A B'",
        "P=0x1 : ALL;\\r\\n|f:1:13|carriage return",
        "P=0x1 : \\u0001ALL;|f:1:9|control character U+0001",
        "P\\u00e9=0x1 : ALL;|f:1:2|non-ASCII character U+00E9",
        "A : ALL;\\nB=0x1 : SELF;|f:1:1|the P_Key OpenSM generates for 'A' is 0x0001, which line 2 gives explicitly",
        "A=0x5,ipoib : ALL;\\nA=0x5,mtu=4 : SELF;|f:2:1|P_Key 0x0005 repeats partition 'A' (line 1)",
        "A=0x5,indx0 : ALL;\\nA=0x5 : SELF;|f:2:1|repeats partition 'A'",
        "A=0x5,indx0 : 0x1;\\nB=0x6,indx0 : 0x2, 0x1;|f:2:20|port 0x0000000000000001 is already in indx0 partition 0x0005 at line 1:15",
    })
    void refusesWithLocation(String escaped, String location, String fragment) {
        // CSV rows cannot hold raw line breaks or control characters; the rows spell them as Java escapes.
        String text = escaped.replace("\\n", "\n").replace("\\r", "\r").replace("\\u0001", "\u0001")
                .replace("\\u00e9", "\u00e9");
        assertThatThrownBy(() -> PartitionConfigParser.parse(text, "f"))
                .isInstanceOf(PartitionSyntaxException.class)
                .hasMessageStartingWith(location + ": ")
                .hasMessageContaining(fragment);
    }

    @org.junit.jupiter.api.Test
    void refusesLinesOpenSmWouldSplit() {
        String text = "P=0x1 : ALL ;" + " ".repeat(PartitionConfigParser.MAX_LINE_LENGTH);
        assertThatThrownBy(() -> PartitionConfigParser.parse("# ok\n" + text, "big.conf"))
                .isInstanceOf(PartitionSyntaxException.class)
                .hasMessageStartingWith("big.conf:2:4094: line is");
    }
}
