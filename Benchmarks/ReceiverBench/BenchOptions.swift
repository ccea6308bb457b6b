import Foundation

/// Command-line options of `receiver-bench` (see Benchmarks/bench-receiver.sh for the documented usage).
struct BenchOptions {
    enum Queue: String { case sqlite, sqs }

    var binary: String
    /// Open-loop rate of the single-rate run (requests per second).
    var rate = 500
    /// Length of each run (the single run, each step, or the closed loop).
    var seconds = 20
    var port = 18080
    var queue = Queue.sqlite
    /// Open-loop rate steps (`--steps 100,200,400`): one run per rate, to find where latency breaks.
    var steps: [Int] = []
    /// Closed loop (`--concurrency N`): N clients each sending the next request as soon as one is answered.
    var concurrency: Int?
    /// The Python with moto (the repo's test venv) for `--queue sqs`.
    var python = ".venv/bin/python"
    /// The receiver's LOG_LEVEL. INFO (the product's default) writes one JSON line per webhook, as in production.
    var logLevel = "INFO"
    /// `--attack N`: instead of load, N stalled 1 MiB uploads and oversized signature headers (bench-hostile.sh).
    var attackConnections: Int?

    static let usage = """
        usage: receiver-bench RECEIVER_BINARY [--rate N] [--seconds N] [--port N] [--queue sqlite|sqs]
                              [--steps R1,R2,...] [--concurrency N] [--python PATH]
                              [--log-level INFO|WARNING|...] [--attack CONNECTIONS]
        """

    init(arguments: [String]) throws {
        var arguments = arguments
        guard !arguments.isEmpty else { throw BenchError(Self.usage) }
        binary = arguments.removeFirst()
        while !arguments.isEmpty {
            let name = arguments.removeFirst()
            guard !arguments.isEmpty else { throw BenchError("\(name) needs a value\n" + Self.usage) }
            let value = arguments.removeFirst()
            func number() throws -> Int {
                guard let number = Int(value), number > 0 else {
                    throw BenchError("\(name): not a positive number: \(value)")
                }
                return number
            }
            switch name {
            case "--rate": rate = try number()
            case "--seconds": seconds = try number()
            case "--port": port = try number()
            case "--concurrency": concurrency = try number()
            case "--attack": attackConnections = try number()
            case "--python": python = value
            case "--log-level": logLevel = value.uppercased()
            case "--queue":
                guard let kind = Queue(rawValue: value) else {
                    throw BenchError("--queue: sqlite or sqs, not \(value)")
                }
                queue = kind
            case "--steps":
                steps = try value.split(separator: ",").map { text in
                    guard let rate = Int(text), rate > 0 else { throw BenchError("--steps: not a rate: \(text)") }
                    return rate
                }
            default: throw BenchError("unknown option \(name)\n" + Self.usage)
            }
        }
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
