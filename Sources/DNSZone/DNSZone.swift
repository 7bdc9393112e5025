// Module DNSZone.
