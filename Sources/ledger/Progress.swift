#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Progress on standard error — events done, events/s, percent of the input — shown only
/// when standard error is a terminal and `--quiet` is not given; at most a few times a second.
final class Progress {
    private let verb: String
    private let enabled: Bool
    private let started = monotonicSeconds()
    private var lastShown = 0.0
    private var shown = false

    init(verb: String, quiet: Bool) {
        self.verb = verb
        enabled = !quiet && isatty(2) == 1
    }

    /// Reports `events` done, and the fraction of the input read when it is known.
    func update(events: Int64, fraction: Double? = nil) {
        guard enabled, events % 1024 == 0 else { return }
        let now = monotonicSeconds()
        guard now - lastShown >= 0.25 else { return }
        lastShown = now
        let rate = Int(Double(events) / max(now - started, 0.001))
        let percent = fraction.map { " \(Int(($0 * 100).rounded()))%" } ?? ""
        write("\r\(verb) \(events) events, \(rate) events/s\(percent)   ")
        shown = true
    }

    /// Clears the progress line.
    func finish() {
        if shown { write("\r\u{1b}[K") }
    }

    private func write(_ text: String) {
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { _ = Glibc.write(2, $0.baseAddress, $0.count) }
    }
}
