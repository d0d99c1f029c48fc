package io.cairn.cli;

import picocli.CommandLine;

/** {@code cairn --version}: the version from the jar manifest, or "development" when run from classes. */
final class CairnVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Cairn.class.getPackage().getImplementationVersion();
        return new String[] {"cairn " + (version == null ? "development" : version)};
    }
}
