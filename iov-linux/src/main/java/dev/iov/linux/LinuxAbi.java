package dev.iov.linux;

/**
 * Numbers from the Linux UAPI headers and the LP64 layouts of the kernel structures this package builds by hand.
 * Values are those of x86-64 and the asm-generic architectures (arm64), the platforms iov supports.
 */
final class LinuxAbi {

    private LinuxAbi() {
    }

    // <bits/socket.h>, <linux/socket.h>
    static final int AF_NETLINK = 16;
    static final int AF_PACKET = 17;
    static final int SOCK_RAW = 3;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_SNDBUF = 7;
    static final int SO_RCVBUF = 8;
    static final int SO_SNDBUFFORCE = 32;
    static final int SO_RCVBUFFORCE = 33;
    static final int MSG_PEEK = 0x2;
    static final int MSG_TRUNC = 0x20;
    static final int MSG_DONTWAIT = 0x40;

    // <linux/netlink.h>
    static final int SOL_NETLINK = 270;
    static final int NETLINK_EXT_ACK = 11;
    /** sockaddr_nl: u16 family, u16 pad, u32 pid, u32 groups. */
    static final int SOCKADDR_NL_SIZE = 12;
    static final int SOCKADDR_NL_PID = 4;

    // <linux/if_packet.h>, <linux/if_ether.h>
    static final int SOL_PACKET = 263;
    static final int PACKET_IGNORE_OUTGOING = 23;
    /** Every frame read or written is preceded by a {@code struct virtio_net_hdr} (see {@link VirtioNetHeader}). */
    static final int PACKET_VNET_HDR = 15;
    static final int ETH_P_ALL = 0x0003;
    /** sockaddr_ll: u16 family, be16 protocol, i32 ifindex, u16 hatype, u8 pkttype, u8 halen, u8 addr[8]. */
    static final int SOCKADDR_LL_SIZE = 20;
    static final int SOCKADDR_LL_PROTOCOL = 2;
    static final int SOCKADDR_LL_IFINDEX = 4;

    // <fcntl.h>
    static final int O_RDONLY = 0;
    static final int O_RDWR = 2;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;

    // <poll.h>: struct pollfd { int fd; short events; short revents; }
    static final short POLLIN = 0x1;
    static final short POLLOUT = 0x4;
    static final short POLLERR = 0x8;
    static final short POLLHUP = 0x10;
    static final short POLLNVAL = 0x20;
    static final int POLLFD_SIZE = 8;
    static final int POLLFD_EVENTS = 4;
    static final int POLLFD_REVENTS = 6;

    // <sched.h>
    static final int CLONE_NEWNET = 0x40000000;

    // <linux/if_tun.h>, <net/if.h>: struct ifreq { char name[16]; union { short flags; ... } } (40 bytes)
    static final long TUNSETIFF = 0x400454caL;
    /** {@code _IOW('T', 203, int)}: the argument is the value itself, not a pointer. */
    static final long TUNSETPERSIST = 0x400454cbL;
    /** {@code _IOR('T', 210, unsigned int)}: fills an ifreq with the device's name and flags. */
    static final long TUNGETIFF = 0x800454d2L;
    static final short IFF_TAP = 0x0002;
    static final short IFF_NO_PI = 0x1000;
    static final short IFF_MULTI_QUEUE = 0x0100;
    /** Reported by {@code TUNGETIFF} for a device that outlives its descriptors. */
    static final short IFF_PERSIST = 0x0800;
    /** Asks {@code TUNSETIFF} to fail ({@code EBUSY}) rather than attach to a device that exists. */
    static final short IFF_TUN_EXCL = (short) 0x8000;
    static final int IFNAMSIZ = 16;
    static final int IFREQ_SIZE = 40;
    static final int IFREQ_FLAGS = 16;

    // <bits/uio.h>: struct iovec { void *base; size_t len; }
    static final int IOVEC_SIZE = 16;
    static final int IOVEC_BASE = 0;
    static final int IOVEC_LEN = 8;

    // <bits/socket.h>: struct mmsghdr { struct msghdr hdr; unsigned int len; }, msghdr being
    // { void *name; socklen_t namelen; struct iovec *iov; size_t iovlen; void *control; size_t controllen; int flags; }
    static final int MMSGHDR_SIZE = 64;
    static final int MSGHDR_SIZE = 56;
    static final int MSGHDR_CONTROL = 32;
    static final int MSGHDR_CONTROLLEN = 40;
    static final int MSGHDR_IOV = 16;
    static final int MSGHDR_IOVLEN = 24;
    static final int MSGHDR_FLAGS = 48;
    static final int MMSGHDR_LEN = 56;

    // <sys/eventfd.h>
    static final int EFD_NONBLOCK = 0x800;
    static final int EFD_CLOEXEC = 0x80000;

    // <linux/if_packet.h>: PACKET_AUXDATA and struct tpacket_auxdata { u32 status, len, snaplen; u16 mac, net,
    // vlan_tci, vlan_tpid; }, delivered as a cmsg (level SOL_PACKET, type PACKET_AUXDATA) after a 16-byte cmsghdr.
    static final int PACKET_AUXDATA = 8;
    static final int CMSGHDR_SIZE = 16;
    static final int CMSG_LEVEL = 8;
    static final int CMSG_TYPE = 12;
    static final int AUXDATA_SIZE = 20;
    static final int AUXDATA_STATUS = 0;
    static final int AUXDATA_VLAN_TCI = 16;
    static final int AUXDATA_VLAN_TPID = 18;
    static final int TP_STATUS_VLAN_VALID = 0x10;
    static final int TP_STATUS_VLAN_TPID_VALID = 0x40;
}
