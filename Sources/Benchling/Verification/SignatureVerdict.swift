/// Why a delivery was rejected. Raw values are stable: the receiver puts them in 403 bodies and metric labels.
public enum SignatureFailure: String, Error, Sendable, Equatable, CaseIterable, CustomStringConvertible {
    case missingHeaders = "missing_headers"
    case invalidTimestamp = "invalid_timestamp"
    case timestampOutOfRange = "timestamp_out_of_range"
    case noSupportedSignature = "no_supported_signature"
    case malformedSignature = "malformed_signature"
    /// More signature items or header bytes than any real delivery carries; refused before decoding any.
    case signatureHeaderTooLarge = "signature_header_too_large"
    case invalidSignature = "invalid_signature"
    /// No keys could be obtained at all (never fetched successfully). Not a verdict on the sender.
    case jwksUnavailable = "jwks_unavailable"

    public var description: String { rawValue }
}

/// The outcome of checking one delivery.
public enum SignatureVerdict: Sendable, Equatable {
    case valid
    case invalid(SignatureFailure)

    public var isValid: Bool { self == .valid }

    /// The failure reason, nil when valid.
    public var failure: SignatureFailure? {
        if case .invalid(let reason) = self { return reason }
        return nil
    }
}
