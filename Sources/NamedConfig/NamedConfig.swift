// Module NamedConfig.
