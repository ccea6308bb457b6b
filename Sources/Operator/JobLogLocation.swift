import Foundation

/// Where the job logs are: one SQLite file, or a directory holding one file per worker task.
///
/// A deployment with several worker tasks gives each its own file (SQLite must not be shared over a network file
/// system), so inspecting "the" job log means reading every file in the directory.
public enum JobLogLocation: Sendable, Equatable {
    case file(String)
    case directory(String)

    /// `--job-log PATH`: a directory when the path is one, else a file.
    public init(argument: String) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory), isDirectory.boolValue {
            self = .directory(argument)
        } else {
            self = .file(argument)
        }
    }

    /// The job log files, in name order. A missing file or an empty directory is an error that says where we looked:
    /// opening would otherwise create an empty log and report "no jobs".
    public func files() throws -> [String] {
        switch self {
        case .file(let path):
            guard FileManager.default.fileExists(atPath: path) else {
                throw OperatorError(
                    "no job log at \(path): set JOB_LOG_PATH (a file) or JOB_LOG_DIR (a directory of *.db files), or pass --job-log"
                )
            }
            return [path]
        case .directory(let path):
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: path)
            } catch {
                throw OperatorError("cannot read the job log directory \(path): \(error.localizedDescription)")
            }
            let files = names.filter { $0.hasSuffix(".db") }.sorted()
                .map { URL(fileURLWithPath: path).appendingPathComponent($0).path }
            guard !files.isEmpty else { throw OperatorError("no *.db job log files in \(path)") }
            return files
        }
    }
}
