/// The settings hold the whole process environment (AWS credentials included) for the resolver; printing them
/// names the variables' count only.
extension ReceiverSettings: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String {
        "ReceiverSettings(host: \(host), port: \(port), queue: \(queueAddress ?? "unset"), environment: \(environment.count) variables)"
    }
    public var debugDescription: String { description }
}
