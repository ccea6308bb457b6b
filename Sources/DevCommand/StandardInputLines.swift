import Foundation

/// Lines typed on stdin as an async stream. `readLine` blocks, so it runs on its own thread; the thread ends at
/// EOF, and at process exit otherwise.
enum StandardInputLines {
    static func stream() -> AsyncStream<String> {
        AsyncStream { continuation in
            let thread = Thread {
                while let line = readLine() { continuation.yield(line) }
                continuation.finish()
            }
            thread.start()
        }
    }
}
