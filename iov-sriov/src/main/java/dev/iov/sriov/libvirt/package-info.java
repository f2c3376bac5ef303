/**
 * libvirt device XML for SR-IOV virtual functions: the {@code <interface type='hostdev'>} element that hands a VM a
 * VF with a MAC and VLAN libvirt programs through the PF, and the plain {@code <hostdev>} PCI passthrough element.
 * The elements are what a management product splices into a domain's {@code <devices>}.
 */
package dev.iov.sriov.libvirt;
