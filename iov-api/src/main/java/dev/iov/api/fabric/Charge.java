package dev.iov.api.fabric;

import dev.iov.api.model.Network;
import dev.iov.api.model.Uplink;
import dev.iov.api.model.VnicSpec;
import dev.iov.api.net.Bandwidth;

/**
 * What one vNIC costs an uplink: its guaranteed rate (as asked: a guarantee above the link speed must be refused,
 * not silently shrunk), and its rate limit (the full link speed when it has none, and never more than the link
 * speed, since a vNIC cannot send faster than its uplink).
 */
record Charge(long guaranteedBps, long limitBps) {

    static Charge of(VnicSpec spec, Network network, Uplink uplink) {
        long speed = uplink.speed().bitsPerSecond();
        long guaranteed = spec.minRate().map(Bandwidth::bitsPerSecond).orElse(0L);
        long limit = spec.maxRate().or(network::defaultMaxRate).map(Bandwidth::bitsPerSecond).orElse(speed);
        return new Charge(guaranteed, Math.min(limit, speed));
    }
}
