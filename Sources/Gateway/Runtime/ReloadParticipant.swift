import Config

/// Something a reload must update that lives outside the request-path snapshot
/// (`RuntimeConfiguration`): TLS certificates and keys re-read from their files into a swappable
/// server context, an access-log file, ... Register it with `RunningGateway.addReloadParticipant`.
///
/// Two phases, so a reload stays all-or-nothing: `prepare` reads and validates what the new
/// configuration names and throws to refuse it (the reload fails, nothing changes, the error is
/// logged); the closure it returns swaps the prepared state in and runs only once every
/// participant has prepared and the new snapshot is installed. `prepare` runs on the reload's
/// thread (never an event loop); it may do file I/O.
public protocol ReloadParticipant: Sendable {
    /// Validates `next` and returns the commit step (cheap, must not fail).
    func prepare(_ next: PortcullisConfig) throws -> @Sendable () -> Void
}
