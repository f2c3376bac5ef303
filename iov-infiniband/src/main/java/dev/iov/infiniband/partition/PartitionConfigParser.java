package dev.iov.infiniband.partition;

import dev.iov.api.internal.io.BoundedReads;
import dev.iov.api.net.Guid;
import dev.iov.api.net.PKey;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads OpenSM's {@code partitions.conf} into a {@link PartitionConfig}, following what OpenSM's
 * {@code osm_prtn_config.c} and {@code osm_prtn.c} really do (see the package comment for the sources), and refusing
 * with a {@link PartitionSyntaxException} whatever OpenSM would reject, misread or silently ignore.
 *
 * <p>Grammar, as OpenSM reads it:
 * <pre>
 * file       = { definition } ;                 (a '#' starts a comment up to the end of the line)
 * definition = header ':' members [ ';' ]       (';' may be omitted only at the end of the file)
 * header     = [ name ] [ '=' pkey ] { ',' flag [ '=' value ] }     (on one line, with its ':')
 * members    = member { ( ',' | newline ) member }                  (may wrap over lines)
 * member     = ( guid | keyword ) [ '=' membership ]
 * </pre>
 * Blanks (space, tab) are allowed around every delimiter. Matching is OpenSM's:
 * <ul>
 *   <li>A header without {@code =} whose name starts with a digit is the P_Key, unnamed.</li>
 *   <li>Numbers (P_Keys, GUIDs, flag values) are {@code 0x}-hex or decimal. OpenSM uses {@code strtoul(.., 0)}, which
 *       reads a leading {@code 0} as octal; iov refuses such numbers rather than read them differently.</li>
 *   <li>Only the low 15 bits of a P_Key name the partition ({@code 0x8001} is partition 1); wider than 16 bits is
 *       refused (OpenSM truncates), partition 0 is refused (OpenSM would silently generate a key).</li>
 *   <li>Flags match as prefixes, case-sensitive, in OpenSM's order: {@code mtu}, {@code rate}, {@code scope},
 *       {@code Q_Key}, {@code TClass}, {@code sl}, {@code FlowLabel}, {@code ipoib}, {@code defmember}; {@code indx0}
 *       only exactly. Unknown flags, missing or bad values, values on {@code ipoib}/{@code indx0} and a flag given
 *       twice ({@code scope} excepted: scopes accumulate) are refused; OpenSM would warn and skip them.</li>
 *   <li>Membership words match as prefixes of {@code full}, {@code both}, {@code limited} (so {@code f}, {@code limi});
 *       anything else is refused (OpenSM assumes limited). {@code defmember} sets the default for its definition.</li>
 *   <li>Keywords match as prefixes of {@code ALL}, {@code ALL_CAS}, {@code ALL_SWITCHES}, {@code ALL_ROUTERS},
 *       {@code SELF}, tried in that order; a prefix of {@code NONE} names no port and adds nothing.</li>
 *   <li>{@code mgid=GID} in the port list pre-creates a multicast group ({@link MulticastGroup}): the rest of that
 *       line up to {@code ;} is the group's flags ({@code mtu}, {@code rate}, {@code scope}, {@code Q_Key},
 *       {@code TClass}, {@code sl}, {@code FlowLabel}, matched as in a header), as OpenSM's {@code mgroup_create}
 *       reads it. Refused, where OpenSM would skip the group or ignore a word: a GID that is not IPv6 text or not
 *       multicast, a missing GID, any other word after it (a port listed after an {@code mgid} on its line would be
 *       lost), an IP group (signature {@code 0x401b}/{@code 0x601b}) whose P_Key bits are neither {@code 0x0000} nor
 *       the partition's or whose {@code rate}/{@code mtu} differ from the header's, and a group given twice.</li>
 *   <li>A repeated P_Key merges into the first partition with that key, keeping its name; members are appended. A
 *       definition without a P_Key but with the name of an existing partition merges into it (OpenSM's
 *       {@code osm_prtn_find_by_name}, which also finds the implicit {@code Default}); otherwise its key is generated
 *       as OpenSM does: the next unused value counting up from 1, never {@code 0x7fff}. A generated key that a
 *       later definition uses explicitly is refused: OpenSM would merge the two partitions.</li>
 *   <li>Flags apply per definition in OpenSM, so a repeated definition must carry the same flags as the first, or
 *       none when the first has no {@code indx0}.</li>
 *   <li>Partition {@code 0x7fff} is named {@code Default} whatever the file says (OpenSM creates it first);
 *       an unnamed partition is named by its key, {@code %04x}.</li>
 *   <li>Carriage returns, control characters and non-ASCII characters outside comments are refused (OpenSM would
 *       make them part of a token), as are lines OpenSM's 4095-byte line buffer would split. Inside comments any
 *       byte is fine, as for OpenSM, which reads bytes: a comment in Latin-1 or any other encoding is accepted.</li>
 * </ul>
 * A port named by two {@code indx0} partitions is refused: a P_Key table has one index 0.
 *
 * <p>Files are read as bytes ({@link #readFile}, {@link #parse(byte[], String)}), at most {@link #MAX_FILE_BYTES}
 * of them, with columns counted in bytes.
 */
public final class PartitionConfigParser {

    /** OpenSM reads lines with {@code fgets(line, 4095)}: 4093 characters and the newline fit. */
    static final int MAX_LINE_LENGTH = 4093;

    /** The most bytes a {@code partitions.conf} may hold: 16 MiB, thousands of times a large fabric's file. */
    public static final int MAX_FILE_BYTES = 16 * BoundedReads.MIB;

    private static final int LAST_GENERATED = 0x7ffe;

    private final String file;
    /** Whether every character of the text is one byte of the file (ISO-8859-1), for messages. */
    private final boolean bytes;
    private final List<Definition> definitions = new ArrayList<>();

    private PartitionConfigParser(String file, boolean bytes) {
        this.file = file;
        this.bytes = bytes;
    }

    /**
     * Reads a {@code partitions.conf} as OpenSM does, as bytes: the text has one character per byte (ISO-8859-1), so
     * comments in any encoding survive and writing the text back as ISO-8859-1 gives the same bytes.
     *
     * @param file the file
     * @return its content, one character per byte
     * @throws dev.iov.api.internal.io.InputTooLargeException when it is larger than {@link #MAX_FILE_BYTES} (a
     *     character device, a huge sparse file); the message names the file and the limit
     * @throws IOException when it cannot be read
     */
    public static String readFile(Path file) throws IOException {
        return new String(BoundedReads.read(file, MAX_FILE_BYTES), StandardCharsets.ISO_8859_1);
    }

    /**
     * Parses a whole {@code partitions.conf} given as its bytes: anything goes in comments, as for OpenSM; a byte
     * outside ASCII elsewhere is refused with its line and (byte) column.
     *
     * @param content the file's bytes
     * @param fileName the name to put in error messages
     * @return the partitions, merged by P_Key, in order of first appearance
     * @throws PartitionSyntaxException naming {@code file:line:column} and the bad token
     */
    public static PartitionConfig parse(byte[] content, String fileName) {
        return parseBytes(new String(content, StandardCharsets.ISO_8859_1), fileName);
    }

    /** Parses text from {@link #readFile}: one character per byte. */
    static PartitionConfig parseBytes(String text, String fileName) {
        PartitionConfigParser p = new PartitionConfigParser(fileName, true);
        p.scan(text);
        return p.resolve();
    }

    /**
     * Parses a whole {@code partitions.conf}.
     *
     * @param text the file's content
     * @param fileName the name to put in error messages
     * @return the partitions, merged by P_Key, in order of first appearance
     * @throws PartitionSyntaxException naming {@code file:line:column} and the bad token
     */
    public static PartitionConfig parse(String text, String fileName) {
        PartitionConfigParser p = new PartitionConfigParser(fileName, false);
        p.scan(text);
        return p.resolve();
    }

    // ---------------------------------------------------------------- scanning

    private void scan(String text) {
        String[] lines = text.split("\n", -1);
        Definition open = null;
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            int lineNo = n + 1;
            if (line.length() > MAX_LINE_LENGTH) {
                throw fail(lineNo, MAX_LINE_LENGTH + 1, "line is " + line.length() + " characters long; OpenSM reads "
                        + "at most " + MAX_LINE_LENGTH + " per line and would split it");
            }
            int hash = line.indexOf('#');
            int end = hash < 0 ? line.length() : hash;
            checkCharacters(line, end, lineNo);
            int pos = 0;
            while (true) {
                pos = skipBlanks(line, pos, end);
                if (pos >= end) {
                    break;
                }
                int semi = indexOf(line, ';', pos, end);
                int segmentEnd = semi < 0 ? end : semi;
                if (open == null) {
                    int colon = indexOf(line, ':', pos, segmentEnd);
                    if (colon < 0) {
                        throw fail(lineNo, pos + 1, "no ':' after partition definition '"
                                + line.substring(pos, segmentEnd).strip()
                                + "' (the name, P_Key and flags must be on one line with the ':')");
                    }
                    open = header(line, pos, colon, lineNo);
                    pos = colon + 1;
                }
                members(line, pos, segmentEnd, lineNo, open);
                if (semi < 0) {
                    break;
                }
                definitions.add(open);
                open = null;
                pos = semi + 1;
            }
        }
        if (open != null) {
            // OpenSM keeps a definition the file ends in, even without its ';'.
            definitions.add(open);
        }
    }

    private void checkCharacters(String line, int end, int lineNo) {
        for (int i = 0; i < end; i++) {
            char c = line.charAt(i);
            if (c == '\r') {
                throw fail(lineNo, i + 1, "carriage return (CRLF line end?): OpenSM does not strip it and would "
                        + "read it as part of a token");
            }
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                throw fail(lineNo, i + 1, String.format("control character U+%04X outside a comment", (int) c));
            }
            if (c > 0x7e) {
                throw fail(lineNo, i + 1, bytes && c <= 0xff
                        ? String.format("non-ASCII byte 0x%02x outside a comment", (int) c)
                        : String.format("non-ASCII character U+%04X outside a comment", (int) c));
            }
        }
    }

    private Definition header(String line, int from, int to, int lineNo) {
        List<int[]> tokens = split(line, from, to);
        int[] first = tokens.get(0);
        Definition d = new Definition(lineNo, first[0] + 1);
        int eq = indexOf(line, '=', first[0], first[1]);
        String name = text(line, first[0], eq < 0 ? first[1] : eq);
        int nameCol = skipBlanks(line, first[0], first[1]) + 1;
        String id = null;
        int idCol = 0;
        if (eq >= 0) {
            idCol = skipBlanks(line, eq + 1, first[1]) + 1;
            id = text(line, eq + 1, first[1]);
        } else if (!name.isEmpty() && Character.isDigit(name.charAt(0))) {
            id = name;
            idCol = nameCol;
            name = "";
        }
        if (!name.isEmpty()) {
            String problem = Partition.nameProblem(name);
            if (problem != null) {
                throw fail(lineNo, nameCol, "partition name '" + name + "': " + problem);
            }
        }
        d.name = name;
        if (id != null) {
            d.pkey = pkey(id, lineNo, idCol);
        }
        PartitionFlags.Builder flags = PartitionFlags.builder();
        Set<String> seen = new HashSet<>();
        for (int t = 1; t < tokens.size(); t++) {
            flag(line, tokens.get(t), lineNo, d, flags, seen, false);
        }
        d.flags = flags.build();
        return d;
    }

    private static final String[] VALUE_FLAGS = {"mtu", "rate", "scope", "Q_Key", "TClass", "sl", "FlowLabel"};

    private void flag(String line, int[] token, int lineNo, Definition d, PartitionFlags.Builder flags,
            Set<String> seen, boolean group) {
        int eq = indexOf(line, '=', token[0], token[1]);
        String name = text(line, token[0], eq < 0 ? token[1] : eq);
        int col = skipBlanks(line, token[0], token[1]) + 1;
        String value = eq < 0 ? null : text(line, eq + 1, token[1]);
        int valueCol = eq < 0 ? 0 : skipBlanks(line, eq + 1, token[1]) + 1;
        if (name.isEmpty()) {
            throw fail(lineNo, col, "empty flag" + (value == null ? "" : " before '=" + value + "'")
                    + " (OpenSM would take it for 'mtu')");
        }
        String canonical = null;
        for (String f : VALUE_FLAGS) {
            if (f.startsWith(name)) {
                canonical = f;
                break;
            }
        }
        if (canonical == null && "ipoib".startsWith(name)) {
            canonical = "ipoib";
        } else if (canonical == null && "defmember".startsWith(name)) {
            canonical = "defmember";
        } else if (canonical == null && name.equals("indx0")) {
            canonical = "indx0";
        }
        if (group && (canonical == null || !List.of(VALUE_FLAGS).contains(canonical))) {
            throw fail(lineNo, col, "unknown multicast group flag '" + name + "' (known: mtu, rate, sl, scope, Q_Key, "
                    + "TClass, FlowLabel; an mgid entry takes the rest of its line up to ';' as its flags, and OpenSM "
                    + "would ignore this word)");
        }
        if (canonical == null) {
            throw fail(lineNo, col, "unknown partition flag '" + name + "' (known: ipoib, indx0, defmember, mtu, "
                    + "rate, sl, scope, Q_Key, TClass, FlowLabel; OpenSM would ignore it)");
        }
        if (!seen.add(canonical) && !canonical.equals("scope")) {
            throw fail(lineNo, col, "flag '" + name + "' (" + canonical + ") given twice in one definition");
        }
        if (canonical.equals("ipoib") || canonical.equals("indx0")) {
            if (value != null) {
                throw fail(lineNo, valueCol, "flag '" + canonical + "' takes no value, got '" + value + "'");
            }
            if (canonical.equals("ipoib")) {
                flags.ipoib(true);
            } else {
                flags.indx0(true);
            }
            d.hasFlags = true;
            return;
        }
        if (value == null || value.isEmpty()) {
            throw fail(lineNo, col, "flag '" + name + "' (" + canonical + ") needs a value: " + canonical + "=...");
        }
        if (canonical.equals("defmember")) {
            Membership m = Membership.fromAbbreviation(value);
            if (m == null) {
                throw fail(lineNo, valueCol, "defmember '" + value + "': expected full, limited or both "
                        + "(or a prefix of one)");
            }
            d.defmember = m;
            return;
        }
        long v = number(value, canonical, 0xffff_ffffL, lineNo, valueCol);
        try {
            switch (canonical) {
                case "mtu":
                    flags.mtu((int) v);
                    break;
                case "rate":
                    flags.rate((int) v);
                    break;
                case "scope":
                    flags.scope((int) v);
                    break;
                case "Q_Key":
                    flags.qKey(v);
                    break;
                case "TClass":
                    flags.tClass((int) v);
                    break;
                case "sl":
                    flags.sl((int) v);
                    break;
                default:
                    flags.flowLabel((int) v);
                    break;
            }
        } catch (IllegalArgumentException e) {
            throw fail(lineNo, valueCol, e.getMessage());
        }
        if (!group) {
            d.hasFlags = true;
        }
    }

    private void members(String line, int from, int to, int lineNo, Definition d) {
        if (skipBlanks(line, from, to) >= to) {
            return;
        }
        List<int[]> tokens = split(line, from, to);
        for (int t = 0; t < tokens.size(); t++) {
            int[] token = tokens.get(t);
            int start = skipBlanks(line, token[0], token[1]);
            if (start >= token[1]) {
                continue;
            }
            int eq = indexOf(line, '=', token[0], token[1]);
            String name = text(line, token[0], eq < 0 ? token[1] : eq);
            String value = eq < 0 ? null : text(line, eq + 1, token[1]);
            int valueCol = eq < 0 ? 0 : skipBlanks(line, eq + 1, token[1]) + 1;
            int col = start + 1;
            if (name.equals("mgid")) {
                group(line, tokens, t, lineNo, d);
                return;
            }
            if (name.isEmpty()) {
                throw fail(lineNo, col, "no port before '=" + value + "' (OpenSM would skip it)");
            }
            if (value != null && value.isEmpty()) {
                throw fail(lineNo, eq + 1, "empty membership after '" + name + "=' (OpenSM would read it as full)");
            }
            Membership membership = d.defmember;
            if (value != null) {
                membership = Membership.fromAbbreviation(value);
                if (membership == null) {
                    throw fail(lineNo, valueCol, "membership '" + value + "' of '" + name
                            + "': expected full, limited or both (or a prefix of one)");
                }
            }
            if ("NONE".startsWith(name)) {
                continue;
            }
            PortGroup group = PortGroup.fromAbbreviation(name);
            PartitionMember member;
            if (group != null) {
                member = PartitionMember.of(group, membership);
            } else {
                member = PartitionMember.of(guid(name, lineNo, col), membership);
            }
            d.members.add(member);
            d.memberColumns.add(new int[] {lineNo, col});
        }
    }

    /** An {@code mgid=GID} entry and, as its flags, every token after it up to the end of the segment. */
    private void group(String line, List<int[]> tokens, int t, int lineNo, Definition d) {
        int[] token = tokens.get(t);
        int col = skipBlanks(line, token[0], token[1]) + 1;
        int eq = indexOf(line, '=', token[0], token[1]);
        String mgid = eq < 0 ? "" : text(line, eq + 1, token[1]);
        if (mgid.isEmpty()) {
            throw fail(lineNo, col, "'mgid' needs a multicast GID: mgid=ff12:401b::1 (OpenSM would skip it)");
        }
        int mgidCol = skipBlanks(line, eq + 1, token[1]) + 1;
        PartitionFlags.Builder flags = PartitionFlags.builder();
        Set<String> seen = new HashSet<>();
        for (int f = t + 1; f < tokens.size(); f++) {
            flag(line, tokens.get(f), lineNo, d, flags, seen, true);
        }
        MulticastGroup group;
        try {
            group = MulticastGroup.of(mgid, flags.build());
        } catch (IllegalArgumentException e) {
            throw fail(lineNo, mgidCol, e.getMessage() + " (OpenSM would skip the group)");
        }
        d.groups.add(group);
        d.groupColumns.add(new int[] {lineNo, mgidCol});
    }

    // ---------------------------------------------------------------- resolving keys and merging

    private PartitionConfig resolve() {
        Map<Integer, Definition> explicit = new HashMap<>();
        for (Definition d : definitions) {
            if (d.pkey != null) {
                explicit.putIfAbsent(d.pkey.partition(), d);
            }
        }
        Map<Integer, Merged> created = new LinkedHashMap<>();
        Map<String, int[]> indx0 = new HashMap<>();
        Map<String, int[]> mgids = new HashMap<>();
        int counter = 0;
        for (Definition d : definitions) {
            Integer key = d.pkey == null ? null : d.pkey.partition();
            if (key == null && !d.name.isEmpty()) {
                key = byName(created, d.name);
            }
            if (key == null) {
                int candidate = 0;
                while (counter < LAST_GENERATED) {
                    int c = ++counter;
                    if (!created.containsKey(c)) {
                        candidate = c;
                        break;
                    }
                }
                if (candidate == 0) {
                    throw fail(d.line, d.column, "no P_Key left to generate for '" + d.name + "'");
                }
                Definition later = explicit.get(candidate);
                if (later != null) {
                    throw fail(d.line, d.column, String.format("the P_Key OpenSM generates for %s is 0x%04x, which "
                            + "line %d gives explicitly: OpenSM would merge the two partitions; give this definition "
                            + "an explicit P_Key", d.name.isEmpty() ? "this unnamed partition" : "'" + d.name + "'",
                            candidate, later.line));
                }
                key = candidate;
            }
            Merged m = created.get(key);
            if (m == null) {
                String name = key == Partition.DEFAULT_PKEY.partition() ? Partition.DEFAULT_NAME
                        : d.name.isEmpty() ? String.format("%04x", key) : d.name;
                created.put(key, new Merged(d, name, Partition.builder(name, PKey.of(key)).flags(d.flags)
                        .defaultMembership(d.defmember)));
                m = created.get(key);
            } else if (!d.flags.equals(m.first.flags) && (d.hasFlags || m.first.flags.indx0())) {
                throw fail(d.line, d.column, String.format("P_Key 0x%04x repeats partition '%s' (line %d) with "
                        + "flags '%s' instead of '%s': OpenSM applies flags per definition; repeat the same flags "
                        + "or none", key, m.builderName, m.first.line, d.flags, m.first.flags));
            }
            d.members.forEach(m.builder::member);
            for (int g = 0; g < d.groups.size(); g++) {
                checkGroup(d, g, key, mgids);
                m.builder.group(d.groups.get(g));
            }
            if (d.flags.indx0()) {
                checkIndx0(d, key, indx0);
            }
        }
        List<Partition> partitions = new ArrayList<>();
        for (Merged m : created.values()) {
            partitions.add(m.builder.build());
        }
        return PartitionConfig.of(partitions);
    }

    /** The IPoIB broadcast MGID OpenSM accepts in any partition: ff12:401b:ffff::ffff:ffff. */
    private static final long BROADCAST_HIGH = 0xff12401bffff0000L;
    private static final long BROADCAST_LOW = 0x00000000ffffffffL;

    /**
     * OpenSM's checks of a pre-created group once the partition's key is known ({@code mgroup_create}): an IP group
     * must carry this partition's P_Key bits (or 0x0000), its rate and MTU; OpenSM then stores it with the P_Key and
     * the full-member bit in bytes 4-5, and creates a group only once.
     */
    private void checkGroup(Definition d, int g, int key, Map<String, int[]> mgids) {
        MulticastGroup group = d.groups.get(g);
        int[] at = d.groupColumns.get(g);
        long high = group.high();
        if (group.isIp()) {
            boolean broadcast = group.high() == BROADCAST_HIGH && group.low() == BROADCAST_LOW;
            if (!broadcast && group.pkeyBits() != 0 && group.pkeyBits() != key) {
                throw fail(at[0], at[1], String.format("IP multicast group mgid %s carries P_Key bits 0x%04x, "
                        + "neither this partition's 0x%04x nor 0x0000 (\"this partition's\"): OpenSM would not "
                        + "create it", group.mgid(), group.pkeyBits(), key));
            }
            checkSame(group, "rate", group.flags().rate(), d.flags.rate(), at);
            checkSame(group, "mtu", group.flags().mtu(), d.flags.mtu(), at);
            high = high & ~0xffff_0000L | (long) (key | 0x8000) << 16;
        }
        int[] first = mgids.putIfAbsent(high + ":" + group.low(), at);
        if (first != null) {
            throw fail(at[0], at[1], "mgid " + group.mgid() + " is the group already given at line " + first[0]
                    + ":" + first[1] + ": OpenSM creates it once and ignores this entry");
        }
    }

    private void checkSame(MulticastGroup group, String flag, java.util.OptionalInt own,
            java.util.OptionalInt partition, int[] at) {
        if (own.isPresent() && !own.equals(partition)) {
            throw fail(at[0], at[1], "IP multicast group mgid " + group.mgid() + " has " + flag + "="
                    + own.getAsInt() + " but its partition " + (partition.isPresent() ? "has " + flag + "="
                    + partition.getAsInt() : "does not set " + flag) + ": OpenSM creates IP groups only with the "
                    + "partition's " + flag + " (give it in the partition's header, or leave it off the mgid)");
        }
    }

    /** A port can hold one P_Key at index 0, so two indx0 partitions must not share a port (GUID or keyword). */
    private void checkIndx0(Definition d, int key, Map<String, int[]> indx0) {
        for (int i = 0; i < d.members.size(); i++) {
            int[] at = d.memberColumns.get(i);
            String target = d.members.get(i).target();
            int[] where = indx0.putIfAbsent(target, new int[] {key, at[0], at[1]});
            if (where != null && where[0] != key) {
                throw fail(at[0], at[1], String.format("port %s is already in indx0 partition 0x%04x at line %d:%d; "
                        + "a P_Key table has one index 0", target, where[0], where[1], where[2]));
            }
        }
    }

    /** OpenSM's {@code osm_prtn_find_by_name}: the lowest key with that name, the implicit Default included. */
    private static Integer byName(Map<Integer, Merged> created, String name) {
        Integer best = name.equals(Partition.DEFAULT_NAME) ? Partition.DEFAULT_PKEY.partition() : null;
        for (Map.Entry<Integer, Merged> e : created.entrySet()) {
            if (e.getValue().builderName.equals(name) && (best == null || e.getKey() < best)) {
                best = e.getKey();
            }
        }
        return best;
    }

    // ---------------------------------------------------------------- numbers

    private PKey pkey(String text, int lineNo, int col) {
        if (text.isEmpty()) {
            throw fail(lineNo, col, "empty P_Key after '='");
        }
        long v = number(text, "P_Key", 0xffff, lineNo, col);
        if ((v & 0x7fff) == 0) {
            throw fail(lineNo, col, "P_Key '" + text + "' names partition 0, which does not exist (omit the P_Key "
                    + "to have one generated)");
        }
        return PKey.of((int) v);
    }

    private Guid guid(String text, int lineNo, int col) {
        long v;
        try {
            v = unsigned(text);
        } catch (NumberFormatException e) {
            throw fail(lineNo, col, "port '" + text + "': " + e.getMessage() + "; expected a GUID (0x and hex digits, "
                    + "or decimal) or ALL, ALL_CAS, ALL_SWITCHES, ALL_ROUTERS, SELF, NONE");
        }
        if (v == 0) {
            throw fail(lineNo, col, "port '" + text + "': the zero GUID names no port");
        }
        return Guid.of(v);
    }

    private long number(String text, String what, long max, int lineNo, int col) {
        long v;
        try {
            v = unsigned(text);
        } catch (NumberFormatException e) {
            throw fail(lineNo, col, what + " '" + text + "': " + e.getMessage());
        }
        if (Long.compareUnsigned(v, max) > 0) {
            throw fail(lineNo, col, what + " '" + text + "' is larger than 0x" + Long.toHexString(max)
                    + " (OpenSM would silently truncate it)");
        }
        return v;
    }

    /** {@code 0x} and 1-16 hex digits, or decimal up to 2^64-1; a leading 0 before decimal digits is octal in C. */
    private static long unsigned(String text) {
        if (text.startsWith("0x") || text.startsWith("0X")) {
            String digits = text.substring(2);
            if (digits.isEmpty() || digits.length() > 16 || !allDigits(digits, 16)) {
                throw new NumberFormatException(digits.length() > 16 && allDigits(digits, 16)
                        ? "more than 64 bits" : "expected 1 to 16 hex digits after 0x");
            }
            return Long.parseUnsignedLong(digits, 16);
        }
        if (text.isEmpty() || !allDigits(text, 10)) {
            throw new NumberFormatException("not a number (0x and hex digits, or decimal)");
        }
        if (text.length() > 1 && text.charAt(0) == '0') {
            throw new NumberFormatException("leading 0: OpenSM reads it as octal; write it in hex (0x...) or "
                    + "decimal without leading zeros");
        }
        try {
            return Long.parseUnsignedLong(text, 10);
        } catch (NumberFormatException e) {
            throw new NumberFormatException("more than 64 bits");
        }
    }

    private static boolean allDigits(String s, int radix) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), radix) < 0 || s.charAt(i) > 0x7e) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- text helpers

    /** Comma-separated tokens of {@code [from, to)} as {@code {start, end}} pairs (untrimmed). */
    private static List<int[]> split(String line, int from, int to) {
        List<int[]> tokens = new ArrayList<>();
        int start = from;
        for (int i = from; i < to; i++) {
            if (line.charAt(i) == ',') {
                tokens.add(new int[] {start, i});
                start = i + 1;
            }
        }
        tokens.add(new int[] {start, to});
        return tokens;
    }

    private static String text(String line, int from, int to) {
        int s = skipBlanks(line, from, to);
        int e = to;
        while (e > s && isBlank(line.charAt(e - 1))) {
            e--;
        }
        return line.substring(s, e);
    }

    private static int skipBlanks(String line, int from, int to) {
        int i = from;
        while (i < to && isBlank(line.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    private static int indexOf(String line, char c, int from, int to) {
        int i = line.indexOf(c, from);
        return i >= 0 && i < to ? i : -1;
    }

    private PartitionSyntaxException fail(int line, int column, String reason) {
        return new PartitionSyntaxException(file, line, column, reason);
    }

    /** One definition as written, before keys are generated and repeats merged. */
    private static final class Definition {
        final int line;
        final int column;
        String name = "";
        PKey pkey;
        PartitionFlags flags = PartitionFlags.NONE;
        boolean hasFlags;
        Membership defmember = Membership.LIMITED;
        final List<PartitionMember> members = new ArrayList<>();
        final List<int[]> memberColumns = new ArrayList<>();
        final List<MulticastGroup> groups = new ArrayList<>();
        final List<int[]> groupColumns = new ArrayList<>();

        Definition(int line, int column) {
            this.line = line;
            this.column = column;
        }
    }

    /** A partition being assembled from its first definition and its repeats. */
    private static final class Merged {
        final Definition first;
        final Partition.Builder builder;
        final String builderName;

        Merged(Definition first, String name, Partition.Builder builder) {
            this.first = first;
            this.builder = builder;
            this.builderName = name;
        }
    }
}
