package dev.iov.store.zookeeper;

/**
 * Maps store keys to znode names and back. Records are the children of one parent znode (a flat layout), because a
 * key is a whole string: {@code a} and {@code a/1} are two independent records, which nested znodes could not
 * express (a znode with children cannot be deleted, and {@code a//b} or a trailing {@code /} is no path at all).
 *
 * <p>Keys are printable ASCII already ({@link dev.iov.api.store.StoreKeys}), so only three things need escaping:
 * {@code /} (the path separator) becomes {@code %2F}, {@code %} (the escape character) becomes {@code %25}, and the
 * names {@code .} and {@code ..}, which ZooKeeper refuses, become {@code %2E} and {@code %2E%2E}.
 */
final class ZnodeNames {

    private ZnodeNames() {
    }

    /**
     * @param key a valid store key
     * @return the znode name that holds it
     */
    static String encode(String key) {
        if (key.equals(".") || key.equals("..")) {
            return key.replace(".", "%2E");
        }
        StringBuilder name = null;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '/' || c == '%') {
                if (name == null) {
                    name = new StringBuilder(key.length() + 8).append(key, 0, i);
                }
                name.append(c == '/' ? "%2F" : "%25");
            } else if (name != null) {
                name.append(c);
            }
        }
        return name == null ? key : name.toString();
    }

    /**
     * @param name a znode name made by {@link #encode}
     * @return the key
     * @throws IllegalArgumentException when the name holds an escape {@link #encode} never writes (a znode
     *     created by something else than this store)
     */
    static String decode(String name) {
        int escape = name.indexOf('%');
        if (escape < 0) {
            return name;
        }
        StringBuilder key = new StringBuilder(name.length()).append(name, 0, escape);
        for (int i = escape; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != '%') {
                key.append(c);
                continue;
            }
            String code = i + 3 <= name.length() ? name.substring(i + 1, i + 3) : "";
            switch (code) {
                case "2F" -> key.append('/');
                case "25" -> key.append('%');
                case "2E" -> key.append('.');
                default -> throw new IllegalArgumentException("znode name '" + name + "' has an unknown escape at"
                        + " index " + i + "; it was not written by iov's ZooKeeper store");
            }
            i += 2;
        }
        return key.toString();
    }
}
