/// The resolver holds the whole process environment (AWS credentials included); printing it, as a log line or an
/// error message may, names the variables' count only.
extension ConfigurationResolver: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String { "ConfigurationResolver(environment: \(environment.count) variables)" }
    public var debugDescription: String { description }
}
