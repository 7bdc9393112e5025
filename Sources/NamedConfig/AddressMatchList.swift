/// An address match list (BIND's `{ element; ... }`), evaluated first match wins.
public struct AddressMatchList: Sendable, CustomStringConvertible {
    public var elements: [AddressMatchElement]

    public init(_ elements: [AddressMatchElement]) {
        self.elements = elements
    }

    public static let any = AddressMatchList([AddressMatchElement(.anyAddress)])
    public static let noAddresses = AddressMatchList([AddressMatchElement(.noAddress)])

    /// The outcome of matching a request against a list.
    public enum Match: Sendable, Equatable {
        /// A positive element matched first.
        case allowed
        /// A negated element matched first.
        case denied
        /// No element matched.
        case noMatch
    }

    /// Returns whether the list allows `address`: true only when the first matching element
    /// is a positive one. `keyName` is the TSIG key that signed the request, compared exactly
    /// with `key` elements, so pass it in the lower-case form the configuration stores.
    ///
    /// The walk reads the list in place and allocates nothing, so it is fit for the query path.
    @inline(__always)
    public func evaluate(_ address: IPAddress, keyName: String? = nil, environment: AddressMatchEnvironment = .loopbackOnly) -> Bool {
        match(address, keyName: keyName, environment: environment) == .allowed
    }

    public func match(_ address: IPAddress, keyName: String? = nil, environment: AddressMatchEnvironment = .loopbackOnly) -> Match {
        for element in elements {
            guard element.kind.matches(address, keyName: keyName, environment: environment) else { continue }
            return element.negated ? .denied : .allowed
        }
        return .noMatch
    }

    public var description: String {
        "{ " + elements.map { "\($0); " }.joined() + "}"
    }
}

/// One element of an address match list, possibly negated with `!`.
public struct AddressMatchElement: Sendable, CustomStringConvertible {
    public indirect enum Kind: Sendable {
        case prefix(IPPrefix)
        case anyAddress
        case noAddress
        /// The addresses of the server's own interfaces.
        case localhost
        /// The networks the server's interfaces are attached to.
        case localnets
        /// Requests signed with the named TSIG key.
        case key(String)
        /// A reference to a named `acl`, resolved when the configuration is interpreted.
        case acl(name: String, list: AddressMatchList)
        /// An inline `{ ... }` list.
        case nested(AddressMatchList)

        /// Tests whether the element matches, ignoring its negation. A nested list or acl
        /// matches only when its own result is `.allowed`: a request denied inside a nested
        /// list counts as no match, so that negating the nested list never turns an inner
        /// denial into an allowance. BIND 9 evaluates nested lists the same way.
        @inline(__always)
        func matches(_ address: IPAddress, keyName: String?, environment: AddressMatchEnvironment) -> Bool {
            switch self {
            case .prefix(let prefix):
                return prefix.contains(address)
            case .anyAddress:
                return true
            case .noAddress:
                return false
            case .localhost:
                for local in environment.localhost where local == address { return true }
                return false
            case .localnets:
                for network in environment.localnets where network.contains(address) { return true }
                return false
            case .key(let name):
                return keyName == name
            case .acl(_, let list), .nested(let list):
                return list.match(address, keyName: keyName, environment: environment) == .allowed
            }
        }
    }

    public var kind: Kind
    public var negated: Bool

    public init(_ kind: Kind, negated: Bool = false) {
        self.kind = kind
        self.negated = negated
    }

    public var description: String {
        let body: String
        switch kind {
        case .prefix(let prefix): body = prefix.description
        case .anyAddress: body = "any"
        case .noAddress: body = "none"
        case .localhost: body = "localhost"
        case .localnets: body = "localnets"
        case .key(let name): body = "key \"\(name)\""
        case .acl(let name, _): body = "\"\(name)\""
        case .nested(let list): body = list.description
        }
        return negated ? "!" + body : body
    }
}

/// The server's own addresses, which `localhost` and `localnets` elements match against.
public struct AddressMatchEnvironment: Sendable {
    /// Every address configured on the server's interfaces.
    public var localhost: [IPAddress]
    /// The network prefix of every interface address.
    public var localnets: [IPPrefix]

    public init(localhost: [IPAddress], localnets: [IPPrefix]) {
        self.localhost = localhost
        self.localnets = localnets
    }

    /// Only the loopback addresses. A server uses `currentInterfaces()` instead at startup.
    public static let loopbackOnly = AddressMatchEnvironment(
        localhost: [.loopbackV4, .loopbackV6],
        localnets: [IPPrefix(address: .v4(0x7F00_0000), length: 8), IPPrefix(host: .loopbackV6)]
    )
}
