/**
 * Interoperability with other tools' rule formats: {@link org.opgate.interop.RuleImporter} reads
 * nDPI protocol files, Squid ACL files and HAProxy map files into opgate class-file YAML, and
 * {@link org.opgate.interop.HaproxyExporter} / {@link org.opgate.interop.NftablesExporter} write a
 * loaded class set and its dated policies as an HAProxy configuration or an nftables ruleset.
 *
 * <p>Part of the core: no Netty, no I/O beyond what the caller hands in. Whatever cannot be carried
 * over is never dropped silently: it comes back as a {@link org.opgate.interop.Note} with the
 * source location and the reason.
 */
package org.opgate.interop;
