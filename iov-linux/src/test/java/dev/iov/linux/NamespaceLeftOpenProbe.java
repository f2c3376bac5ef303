package dev.iov.linux;

/**
 * Run in a child JVM by {@link NetworkNamespaceIT}: creates the namespace named by its argument and exits without
 * closing it, so the shutdown hook has to delete it.
 */
final class NamespaceLeftOpenProbe {

    private NamespaceLeftOpenProbe() {
    }

    /**
     * @param args the namespace name
     */
    public static void main(String[] args) {
        NetworkNamespace.create(args[0]);
        System.out.println("created " + args[0]);
    }
}
