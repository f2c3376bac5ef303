/**
 * Reading and writing sysfs ({@code /sys}) with a configurable root, so that code written for real devices runs in
 * tests against a tree laid out the way the kernel lays it out (relative symlinks included).
 */
package dev.iov.linux.sysfs;
