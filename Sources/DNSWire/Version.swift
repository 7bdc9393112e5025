/// The version that `named -v` and `named-checkzone -v` print.
public let swiftNamedVersion = "swift-named 0.1.0"
