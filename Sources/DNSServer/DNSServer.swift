// Module DNSServer.
