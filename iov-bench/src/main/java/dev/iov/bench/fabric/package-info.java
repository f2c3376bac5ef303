/**
 * The control plane at scale: {@link dev.iov.bench.fabric.FabricScaleBench} provisions and releases up to 100 000
 * vNICs over up to 1 000 simulated hosts through the public {@link dev.iov.api.fabric.Fabric}, with the embedded
 * journal store on disk, and times drift reports and migration planning against the number of hosts.
 */
package dev.iov.bench.fabric;
