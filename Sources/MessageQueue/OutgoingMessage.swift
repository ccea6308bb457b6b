/// A message to enqueue. Both adapters need a group and a deduplication id because the production queue is FIFO.
public struct OutgoingMessage: Sendable, Equatable {
    public var body: String
    /// Messages of one group are delivered one at a time, in send order (the entry id, so one entry's events never
    /// race each other).
    public var groupId: String
    /// A second message with the same id within five minutes is dropped (Benchling's retry of one delivery).
    public var deduplicationId: String
    /// String message attributes, delivered back unchanged.
    public var attributes: [String: String]

    public init(body: String, groupId: String, deduplicationId: String, attributes: [String: String] = [:]) {
        self.body = body
        self.groupId = groupId
        self.deduplicationId = deduplicationId
        self.attributes = attributes
    }
}
