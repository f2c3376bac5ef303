package dev.iov.api.fabric;

import dev.iov.api.model.HostId;
import dev.iov.api.model.Uplink;

/** The running sums admission control keeps for one uplink. Guarded by the fabric's lock. */
final class UplinkUsage {
    final HostId host;
    final Uplink uplink;
    long guaranteedBps;
    long limitBps;
    int vnics;

    UplinkUsage(HostId host, Uplink uplink) {
        this.host = host;
        this.uplink = uplink;
    }

    void add(Charge charge) {
        guaranteedBps += charge.guaranteedBps();
        limitBps += charge.limitBps();
        vnics++;
    }

    void remove(Charge charge) {
        guaranteedBps -= charge.guaranteedBps();
        limitBps -= charge.limitBps();
        vnics--;
    }

    long speedBps() {
        return uplink.speed().bitsPerSecond();
    }
}
