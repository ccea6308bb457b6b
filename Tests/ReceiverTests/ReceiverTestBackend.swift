/// Which backend the end-to-end suites use by default: moto (the deployment's real AWS path).
enum ReceiverTestBackend {
    static let `default`: Backend = .moto()
}
