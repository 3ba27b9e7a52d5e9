#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The signal that asked a writing command to stop, 0 while none has.
nonisolated(unsafe) private var interruptingSignal: Int32 = 0
// `nonisolated(unsafe)`: written only by the signal handler (one aligned word, as a C
// `sig_atomic_t` is), read by the command's one thread between events.

/// SIGINT, SIGTERM or SIGHUP while a batch is written (append, import, copy): the signal is
/// noted, the batch stops at the next event and rolls back (which also empties the `-wal` it
/// filled), and the command exits 128 + the signal's number. Without this, the default
/// action would kill the process mid-batch: nothing half-written either, but a `-wal` of the
/// batch's size left behind until the next write.
struct Interruption {
    /// Why the command stopped: exit 128 + `signal`.
    struct Stopped: Error {
        var signal: Int32

        var name: String {
            switch signal {
            case SIGINT: "SIGINT"
            case SIGTERM: "SIGTERM"
            case SIGHUP: "SIGHUP"
            default: "signal \(signal)"
            }
        }
    }

    /// Starts catching the signals for the rest of the command (a signal ignored by the
    /// caller, as under `nohup`, stays ignored).
    static func catching() -> Interruption {
        // A parent may hand its signal mask down (Foundation's Process blocks these): unblocked,
        // so that a stop request is heard.
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            sigaddset(&unblocked, signal)
        }
        sigprocmask(SIG_UNBLOCK, &unblocked, nil)
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            let previous = Glibc.signal(signal) { received in interruptingSignal = received }
            if unsafeBitCast(previous, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self) {
                Glibc.signal(signal, SIG_IGN)
            }
        }
        return Interruption()
    }

    /// Throws `Stopped` once a signal has come.
    func check() throws(Stopped) {
        let signal = interruptingSignal
        if signal != 0 { throw Stopped(signal: signal) }
    }
}
