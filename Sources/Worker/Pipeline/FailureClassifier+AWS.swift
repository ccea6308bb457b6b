import AWSCore

extension FailureClassifier {
    /// AWS answers: 4xx other than throttling (and request timeouts) → permanent (access denied, no such bucket:
    /// an operator must act); 5xx, throttling and transport failures → transient.
    static func awsClass(_ error: any Error) -> FailureClass? {
        switch error {
        case let error as AWSError:
            if RetryPolicy.throttlingCodes.contains(error.code) || error.statusCode == 429 || error.statusCode == 408 {
                return .transient
            }
            return (400..<500).contains(error.statusCode) ? .permanent : .transient
        case let error as AWSClientError:
            return error.kind == .invalidRequest ? .permanent : .transient
        default:
            return nil
        }
    }
}
