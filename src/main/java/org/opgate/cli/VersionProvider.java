package org.opgate.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the jar's implementation version, or "development" when run from classes. */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String v = OpgateCommand.class.getPackage().getImplementationVersion();
        return new String[] {"opgate " + (v == null ? "development" : v)};
    }
}
