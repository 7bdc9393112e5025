// Module DNSWire.
