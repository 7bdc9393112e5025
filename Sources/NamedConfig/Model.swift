/// The interpreted named.conf.
public struct NamedConfiguration: Sendable {
    public var options: ServerOptions
    /// Every zone in file order, top-level and in views; `ZoneConfiguration.view` tells which.
    public var zones: [ZoneConfiguration]
    public var views: [ViewConfiguration]
    /// Named `acl` lists; references to them inside other lists are already resolved.
    public var acls: [String: AddressMatchList]
    public var keys: [String: KeyConfiguration]
    /// Named server lists from `primaries` (or `masters`) statements.
    public var primaryLists: [String: [RemoteServer]]
    /// The `controls` channels; nil when named.conf has no `controls` statement, in which
    /// case BIND listens for rndc on 127.0.0.1 port 953 with the key from rndc.key.
    public var controls: [ControlChannel]?
    public var logging: LoggingConfiguration
    public var statisticsChannels: [StatisticsChannel]

    public init(
        options: ServerOptions = ServerOptions(), zones: [ZoneConfiguration] = [], views: [ViewConfiguration] = [],
        acls: [String: AddressMatchList] = [:], keys: [String: KeyConfiguration] = [:],
        primaryLists: [String: [RemoteServer]] = [:], controls: [ControlChannel]? = nil,
        logging: LoggingConfiguration = LoggingConfiguration(), statisticsChannels: [StatisticsChannel] = []
    ) {
        self.options = options
        self.zones = zones
        self.views = views
        self.acls = acls
        self.keys = keys
        self.primaryLists = primaryLists
        self.controls = controls
        self.logging = logging
        self.statisticsChannels = statisticsChannels
    }
}

/// The `options` statement, with defaults filled in for what it leaves out.
public struct ServerOptions: Sendable {
    /// The working directory that relative zone file names are resolved against.
    /// Defaults to the process working directory when `directory` is absent.
    public var directory: String = ""
    /// Defaults to port 53 on every IPv4 address.
    public var listenOn: [ListenOn] = [ListenOn(port: 53, addresses: .any)]
    /// Defaults to port 53 on every IPv6 address, as in BIND 9.18.
    public var listenOnV6: [ListenOn] = [ListenOn(port: 53, addresses: .any)]
    /// Who may query; nil means the option is absent (BIND then allows everyone).
    public var allowQuery: AddressMatchList?
    /// Who may transfer zones; nil means the option is absent (BIND 9.18 then allows none).
    public var allowTransfer: AddressMatchList?
    /// The configured value only: swift-named never recurses.
    public var recursion: Bool = true
    /// Defaults to `explicit` in swift-named, so that NOTIFY goes only to `also-notify`
    /// targets. BIND's default is `yes`.
    public var notify: NotifyMode = .explicit
    public var alsoNotify: [RemoteServer] = []
    /// The path written in `pid-file`, the word `none` when it was `none`, or nil when absent.
    public var pidFile: String?
    public var statisticsFile: String?
    public var dumpFile: String?
    public var memstatisticsFile: String?
    public var sessionKeyfile: String?
    public var minimalResponses: MinimalResponses = .noAuthRecursive
    /// What `version.bind` CH TXT returns.
    public var version: IdentitySetting = .builtIn
    /// What `hostname.bind` CH TXT returns.
    public var hostname: IdentitySetting = .builtIn
    /// What `id.server` CH TXT and NSID return.
    public var serverID: IdentitySetting = .hidden
    /// In bytes.
    public var ednsUDPSize: Int = 1232
    /// In bytes.
    public var maxUDPSize: Int = 1232
    public var tcpClients: Int = 150
    /// `answer-cookie`: whether responses to queries with a COOKIE option carry one (RFC 7873).
    public var answerCookie = true
    /// `require-server-cookie`: UDP queries with a client cookie but no valid server cookie
    /// get BADCOOKIE.
    public var requireServerCookie = false
    /// `cookie-algorithm` as written. swift-named makes SipHash-2-4 cookies for both values.
    public var cookieAlgorithm: CookieAlgorithm = .siphash24
    /// The `cookie-secret` values in file order, 16 bytes each. The first makes server cookies
    /// and all are accepted. Empty means a random secret for each start of the server.
    public var cookieSecrets: [[UInt8]] = []
    /// `nocookie-udp-size`, in bytes: the largest UDP response to a query without a valid
    /// server cookie. Values below 128 are raised to 128, as BIND does.
    public var noCookieUDPSize = 4096
    /// `check-names primary` (or `master`): what to do with bad host names in primary zones.
    public var checkNamesPrimary: CheckNamesMode = .fail
    /// `check-names secondary` (or `slave`).
    public var checkNamesSecondary: CheckNamesMode = .warn
    /// `check-names response`: applies to answers from other servers, which an authoritative
    /// server never uses, so it is stored only.
    public var checkNamesResponse: CheckNamesMode = .ignore

    public init() {}
}

/// The `cookie-algorithm` values of BIND 9.18.
public enum CookieAlgorithm: String, Sendable, Equatable {
    case siphash24
    /// Deprecated in BIND 9.18; swift-named makes SipHash-2-4 cookies instead.
    case aes
}

/// What `check-names` does with a name that breaks the host name rules of RFC 952 and RFC 1123.
public enum CheckNamesMode: String, Sendable, Equatable {
    case fail
    case warn
    case ignore
}

/// A `listen-on` or `listen-on-v6` clause.
public struct ListenOn: Sendable {
    public var port: UInt16
    public var addresses: AddressMatchList

    public init(port: UInt16, addresses: AddressMatchList) {
        self.port = port
        self.addresses = addresses
    }
}

public enum NotifyMode: String, Sendable, Equatable {
    case yes
    case no
    case explicit
    /// Written `primary-only` or `master-only`.
    case primaryOnly = "primary-only"
}

public enum MinimalResponses: String, Sendable, Equatable {
    case yes
    case no
    case noAuth = "no-auth"
    case noAuthRecursive = "no-auth-recursive"
}

/// The setting of `version`, `hostname` or `server-id`.
public enum IdentitySetting: Sendable, Equatable {
    /// Not configured: the server's own value (its version, or the system host name).
    case builtIn
    /// `none`: the server refuses to tell.
    case hidden
    /// `server-id hostname;`: the system host name.
    case systemHostname
    case text(String)
}

/// A name server address from `also-notify`, `primaries` or a named server list.
public struct RemoteServer: Sendable, Equatable {
    public var address: IPAddress
    /// nil means the default: 53 for NOTIFY and zone transfer.
    public var port: UInt16?
    /// The TSIG key to sign with.
    public var keyName: String?

    public init(address: IPAddress, port: UInt16? = nil, keyName: String? = nil) {
        self.address = address
        self.port = port
        self.keyName = keyName
    }
}

public enum ZoneType: String, Sendable, Equatable {
    /// Written `primary` or `master`.
    case primary
    /// Written `secondary` or `slave`.
    case secondary
    case mirror
    case hint
    case stub
    case staticStub = "static-stub"
    case forward
    case redirect
    case delegationOnly = "delegation-only"
    case inView = "in-view"
}

public struct ZoneConfiguration: Sendable {
    /// The zone name as written, without a trailing dot added or removed.
    public var name: String
    /// The class as written in upper case; `IN` when absent.
    public var dnsClass: String
    public var type: ZoneType
    /// The zone file as written; relative names are relative to `options.directory`.
    public var file: String?
    public var allowQuery: AddressMatchList?
    public var allowTransfer: AddressMatchList?
    public var allowUpdate: AddressMatchList?
    /// nil when the zone leaves it to `options`.
    public var notify: NotifyMode?
    /// nil when the zone leaves it to `options`.
    public var alsoNotify: [RemoteServer]?
    /// From `primaries` or `masters`; named server lists are already expanded.
    public var primaries: [RemoteServer]
    /// The view the zone is defined in; nil at top level.
    public var view: String?
    /// The zone's `check-names`; nil when the zone leaves it to `options` and its type.
    public var checkNames: CheckNamesMode?
    public var location: SourceLocation

    public init(name: String, dnsClass: String = "IN", type: ZoneType, location: SourceLocation) {
        self.name = name
        self.dnsClass = dnsClass
        self.type = type
        self.primaries = []
        self.location = location
    }
}

/// A `view` statement. Its zones are in `NamedConfiguration.zones` with `view` set.
public struct ViewConfiguration: Sendable {
    public var name: String
    public var dnsClass: String
    public var matchClients: AddressMatchList = .any
    public var matchDestinations: AddressMatchList = .any
    public var allowQuery: AddressMatchList?
    public var allowTransfer: AddressMatchList?
    public var recursion: Bool?
    public var notify: NotifyMode?
    public var location: SourceLocation

    public init(name: String, dnsClass: String = "IN", location: SourceLocation) {
        self.name = name
        self.dnsClass = dnsClass
        self.location = location
    }
}

/// A TSIG key.
public struct KeyConfiguration: Sendable, Equatable {
    public var name: String
    /// The algorithm as written, lower-cased, for example `hmac-sha256`.
    public var algorithm: String
    /// The base64 secret as written.
    public var secret: String

    public init(name: String, algorithm: String, secret: String) {
        self.name = name
        self.algorithm = algorithm
        self.secret = secret
    }
}

/// One channel of the `controls` statement, on which rndc connects.
public enum ControlChannel: Sendable {
    case inet(InetControl)
    case unix(UnixControl)
}

public struct InetControl: Sendable {
    /// nil for `*`, all addresses.
    public var address: IPAddress?
    /// Defaults to 953.
    public var port: UInt16
    public var allow: AddressMatchList
    /// nil when no `keys` clause is given (rndc.key is then used).
    public var keys: [String]?
    public var readOnly: Bool
}

public struct UnixControl: Sendable {
    public var path: String
    public var permissions: Int
    public var owner: Int
    public var group: Int
    public var keys: [String]?
    public var readOnly: Bool
}

public struct StatisticsChannel: Sendable {
    /// nil for `*`, all addresses.
    public var address: IPAddress?
    /// Defaults to 80.
    public var port: UInt16
    /// nil when absent: BIND then allows only localhost.
    public var allow: AddressMatchList?
}

public struct LoggingConfiguration: Sendable {
    public var channels: [LogChannel] = []
    public var categories: [LogCategory] = []

    public init() {}
}

public struct LogChannel: Sendable {
    public enum Destination: Sendable, Equatable {
        /// `versions` nil means absent; `Int.max` means `unlimited`. `size` is in bytes.
        case file(path: String, versions: Int?, size: Int?)
        /// The facility as written, lower-cased, for example `daemon`.
        case syslog(facility: String)
        case stderr
        case null
    }

    public enum Severity: Sendable, Equatable {
        case critical, error, warning, notice, info
        case debug(level: Int)
        /// Follows the server's debug level.
        case dynamic
    }

    public var name: String
    public var destination: Destination?
    public var severity: Severity = .info
    /// The `print-time` value as written: yes, no, iso8601, iso8601-utc or local.
    public var printTime: String = "no"
    public var printCategory: Bool = false
    public var printSeverity: Bool = false
    public var location: SourceLocation
}

public struct LogCategory: Sendable {
    public var name: String
    public var channels: [String]
    public var location: SourceLocation
}
