import Crypto
import Foundation
import JSONCore

/// The tenant's mutable state: credentials, tokens, entries, tasks, canvases, faults and the request log.
///
/// One actor so that every route sees a consistent tenant; heavy work (building ZIPs, streaming files) happens
/// outside it.
actor SandboxState {
    let options: SandboxOptions
    let workDirectory: URL
    private(set) var baseURL = ""
    private var tokens: [String: Date] = [:]
    private var entries: [String: SandboxEntry] = [:]
    private var canvases: [String: SandboxCanvas] = [:]
    private var patches: [String: [JSONValue]] = [:]
    private var tasks: [String: ExportTask] = [:]
    private var downloads: [String: DownloadSource] = [:]
    /// Download tokens whose URL answers a redirect, to the real download on this host.
    private var redirects: [String: String] = [:]
    private var faults: [PendingFault] = []
    private var recordings: [RecordedRequest] = []
    private(set) var counters = SandboxCounters()
    private var keyRing: SigningKeyRing
    /// The client secret the token endpoint accepts now (`options.clientSecret` until rotated).
    private var clientSecret: String

    init(options: SandboxOptions, workDirectory: URL) {
        self.options = options
        self.workDirectory = workDirectory
        self.clientSecret = options.clientSecret
        self.keyRing = SigningKeyRing(current: options.signingKey.makeKey())
    }

    func setBaseURL(_ url: String) { baseURL = url }

    // MARK: Recording and faults

    func record(_ request: RecordedRequest) { recordings.append(request) }
    func recordedRequests() -> [RecordedRequest] { recordings }
    func clearRecordedRequests() { recordings.removeAll() }

    func inject(_ fault: SandboxFault, count: Int, route: SandboxRoute) {
        faults.append(PendingFault(fault: fault, route: route, remaining: count))
    }

    func clearFaults() { faults.removeAll() }

    /// The first pending fault matching `route`, consumed by one.
    func takeFault(for route: SandboxRoute) -> SandboxFault? {
        guard let index = faults.firstIndex(where: { $0.route == .any || $0.route == route }) else { return nil }
        let fault = faults[index].fault
        faults[index].remaining -= 1
        if faults[index].remaining <= 0 { faults.remove(at: index) }
        return fault
    }

    // MARK: Tokens

    /// Issues a token when the credentials match; nil (and a counted rejection) otherwise.
    func issueToken(clientId: String, clientSecret: String) -> String? {
        guard clientId == options.clientId, clientSecret == self.clientSecret else {
            counters.tokenRejections += 1
            return nil
        }
        counters.tokenFetches += 1
        let token = "sbx_" + RandomID.make(length: 32)
        tokens[token] = Date().addingTimeInterval(TimeInterval(options.tokenLifetimeSeconds))
        return token
    }

    func isValid(token: String) -> Bool {
        guard let expiry = tokens[token], expiry > Date() else {
            counters.unauthorized += 1
            return false
        }
        return true
    }

    /// Makes every issued token invalid, so the next API call gets 401 and the client must fetch a new one.
    func expireAllTokens() { tokens.removeAll() }

    /// From now on only `secret` gets a token; with `revokeTokens`, tokens issued so far stop working too.
    func rotateClientSecret(to secret: String, revokeTokens: Bool) {
        clientSecret = secret
        if revokeTokens { tokens.removeAll() }
    }

    // MARK: Entries and exports

    func add(entry: SandboxEntry) { entries[entry.id] = entry }

    // MARK: Named objects (link name lookups)

    private var namedObjects: [String: SandboxNamedObject] = [:]

    func add(namedObject: SandboxNamedObject) {
        namedObjects[namedObject.collection + "/" + namedObject.id] = namedObject
    }
    func namedObject(collection: String, id: String) -> SandboxNamedObject? { namedObjects[collection + "/" + id] }
    func countNameLookup() { counters.nameLookups += 1 }

    func entry(_ id: String) -> SandboxEntry? { entries[id] }
    func updateEntry(_ id: String, _ change: @Sendable (inout SandboxEntry) -> Void) {
        if var entry = entries[id] {
            change(&entry)
            entries[id] = entry
        }
    }

    func startExport(entryId: String) -> String {
        counters.exportsStarted += 1
        let taskId = UUID().uuidString.lowercased()
        let entry = entries[entryId]
        tasks[taskId] = ExportTask(
            entryId: entryId, pollsLeft: entry?.runningPolls ?? options.exportRunningPolls,
            runningUntil: entry?.runningFor.map { ContinuousClock.now + $0 }, outcome: entry?.exportOutcome ?? .succeed)
        return taskId
    }

    /// The `AsyncTask` answer for a poll, or nil for an unknown task.
    func poll(taskId: String) -> JSONValue? {
        guard var task = tasks[taskId] else { return nil }
        counters.taskPolls += 1
        defer { tasks[taskId] = task }
        if task.pollsLeft > 0 || task.runningUntil.map({ ContinuousClock.now < $0 }) == true {
            task.pollsLeft = max(0, task.pollsLeft - 1)
            return ["status": "RUNNING"]
        }
        switch task.outcome {
        case .fail(let message):
            return ["status": "FAILED", "message": .string(message), "errors": []]
        case .succeed:
            if task.downloadToken == nil, let entry = entries[task.entryId] {
                let token = RandomID.make(length: 24)
                downloads[token] =
                    entry.exportZip.map { .ready($0) }
                    ?? .members(entry.exportMembers, name: "\(entry.displayId).zip")
                task.downloadToken = token
                if let host = entry.downloadRedirectHost { redirects[token] = host }
            }
            guard let token = task.downloadToken else {
                return ["status": "FAILED", "message": "Entry was deleted during export"]
            }
            let entry = entries[task.entryId]
            var url = "\(baseURL)/downloads/\(token)\(redirects[token] == nil ? "" : Self.redirectSuffix).zip"
            if let host = entry?.downloadURLHost { url = Self.replacingHost(of: url, with: host) }
            return ["status": "SUCCEEDED", "response": ["downloadURL": .string(url)]]
        }
    }

    static let redirectSuffix = "-redirect"

    /// Where a redirecting download token sends the client, or nil when it serves the ZIP itself.
    func redirectLocation(token: String) -> String? {
        guard let host = redirects[token] else { return nil }
        counters.downloads += 1
        return Self.replacingHost(of: "\(baseURL)/downloads/\(token).zip", with: host)
    }

    static func replacingHost(of url: String, with host: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        components.host = host
        return components.string ?? url
    }

    func download(token: String) -> DownloadSource? {
        guard let source = downloads[token] else { return nil }
        counters.downloads += 1
        return source
    }

    /// Remembers a ZIP built for `token`; returns the file to serve (an earlier build wins a race).
    func built(token: String, file: URL) -> URL {
        if case .ready(let existing)? = downloads[token] {
            try? FileManager.default.removeItem(at: file)
            return existing
        }
        downloads[token] = .ready(file)
        return file
    }

    // MARK: Canvases

    func add(canvas: SandboxCanvas) { canvases[canvas.id] = canvas }
    func canvas(_ id: String) -> SandboxCanvas? { canvases[id] }
    func canvasHistory(_ id: String) -> [JSONValue] { patches[id] ?? [] }

    /// Logs a PATCH body and, when `apply`, applies it; nil for an unknown canvas.
    func update(canvasId: String, body: JSONObject, apply: Bool) -> SandboxCanvas? {
        guard var canvas = canvases[canvasId] else { return nil }
        patches[canvasId, default: []].append(.object(body))
        guard apply else { return canvas }
        counters.canvasUpdates += 1
        canvas.apply(update: body)
        canvases[canvasId] = canvas
        return canvas
    }

    /// Like Benchling after a button press: the canvas is disabled until the app PATCHes `enabled: true`.
    func disable(canvasId: String) -> SandboxCanvas? {
        canvases[canvasId]?.enabled = false
        return canvases[canvasId]
    }

    // MARK: Keys

    func jwks() -> JSONValue {
        counters.jwksFetches += 1
        return keyRing.jwks
    }

    /// The JWKS without counting a fetch (for tests that compare keys).
    func publishedKeys() -> JSONValue { keyRing.jwks }
    func signingKey() -> P256.Signing.PrivateKey { keyRing.current }
    func rotateSigningKey(keepPrevious: Bool) { keyRing.rotate(keepPrevious: keepPrevious) }
}

/// An export task's progress.
struct ExportTask: Sendable {
    var entryId: String
    var pollsLeft: Int
    var runningUntil: ContinuousClock.Instant?
    var outcome: ExportOutcome
    var downloadToken: String?
}

/// What a download token serves.
enum DownloadSource: Sendable {
    /// A ZIP file on disk.
    case ready(URL)
    /// A ZIP still to build from these members.
    case members([ExportMember], name: String)
}
