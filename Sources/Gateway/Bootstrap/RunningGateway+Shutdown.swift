/// Drain and stop (SIGTERM/SIGINT).
extension RunningGateway {
    /// Graceful stop: `/readyz` turns 503 at once and every response carries `Connection: close`;
    /// the gateway keeps serving for `drainDelayMs`, then stops accepting, closes idle keep-alive
    /// connections and lets in-flight requests finish within `graceMs` (see `GatewayServer.shutdown`).
    /// Key fetchers, the demo API, the development issuer and the admin listener (so probes keep
    /// getting answers) stop last. `completion` gets the number of connections cut off.
    public func shutdown(graceMs: Int, drainDelayMs: Int = 0, completion: @escaping @Sendable (Int) -> Void) {
        server.shutdown(graceMs: graceMs, drainDelayMs: drainDelayMs) { [self] remaining in
            health.setListening(false)
            fetchers.forEach { $0.stop() }
            demoServer?.stop()
            devIssuerServer?.stop()
            adminServer?.stop()
            server.flushAccessLogs { completion(remaining) }
        }
    }
}
