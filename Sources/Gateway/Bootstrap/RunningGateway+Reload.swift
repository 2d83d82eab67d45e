import Config
import Dispatch
import IO

/// Live reload (SIGHUP): a new configuration is applied to new requests while the gateway runs.
extension RunningGateway {
    /// Registers `participant` for every later reload (see `ReloadParticipant`).
    public func addReloadParticipant(_ participant: any ReloadParticipant) {
        participants.withLock { $0.append(participant) }
    }

    /// Applies `next`: builds its pipeline (keeping unchanged issuers with their keys and cached
    /// tokens), prepares every `ReloadParticipant` (TLS files, ...), binds a changed `listen` before
    /// the old socket closes, installs the new snapshot on every loop (keeping unchanged upstream
    /// pools), commits the participants, then stops the fetchers of issuers that left.
    /// Requests already running finish under the previous configuration. On any error nothing
    /// changes (fetchers started for the new configuration are stopped) and the error is thrown.
    /// Blocks until every loop has the new snapshot: call it from a signal handler or a test, never
    /// from an event loop.
    @discardableResult
    public func reload(config next: PortcullisConfig) throws -> ConfigurationChanges {
        try reloading.withLock {
            let previous = loaded.withLock { $0 }
            let pipeline = try GatewayPipeline(config: next, clock: clock, logger: logger, metrics: metrics,
                                               waitForKeysSeconds: waitForKeysSeconds, previous: previous.pipeline.issuers,
                                               introspectionCounters: introspectionCounters)
            let commits: [@Sendable () -> Void]
            do { commits = try participants.withLock { $0 }.map { try $0.prepare(next) } }
            catch {
                pipeline.startedFetchers.forEach { $0.stop() }
                throw error
            }
            let accessLog: AccessLogSink?
            do { accessLog = try Self.accessLogSink(next, allowed: accessLogAllowed, previous: (previous.config.accessLog, previous.accessLog)) }
            catch { pipeline.startedFetchers.forEach { $0.stop() }; throw error }
            if next.listen != previous.config.listen {
                do {
                    guard let address = SocketAddress(host: next.listen.host, port: next.listen.port) else {
                        throw StartupError("listen: cannot resolve \"\(next.listen.host)\"")
                    }
                    do throws(Socket.SetupError) { try server.rebind(to: address) }
                    catch { throw StartupError("listen: \(error.description)") }
                } catch {
                    pipeline.startedFetchers.forEach { $0.stop() }
                    throw error
                }
            }
            let generation = previous.generation + 1
            let runtime = Self.makeRuntime(next, pipeline, generation: generation, accessLog: accessLog)
            let installed = DispatchSemaphore(value: 0)
            server.install(runtime) { installed.signal() }
            installed.wait()
            commits.forEach { $0() }
            loaded.withLock { $0 = Loaded(config: next, pipeline: pipeline, generation: generation, accessLog: accessLog) }
            health.setIssuers(Self.issuerKeys(pipeline))
            let current = Set(pipeline.fetchers.map(ObjectIdentifier.init))
            for fetcher in previous.pipeline.fetchers where !current.contains(ObjectIdentifier(fetcher)) { fetcher.stop() }
            return ConfigurationChanges(from: previous.config, to: next, keptIssuers: pipeline.issuers.entries.filter(\.kept).count)
        }
    }

    /// SIGHUP: re-reads the configuration file at `path` and applies it. Valid: applied, one info
    /// line says what changed. Invalid (the error names the JSON path, as `portcullis check` does)
    /// or not startable (a port in use, an unreadable secret): nothing changes, one error line.
    /// Either way `portcullis_config_reloads_total{result}` counts it. Returns whether it applied.
    @discardableResult
    public func reload(fromFile path: String) -> Bool {
        let next: PortcullisConfig
        do throws(ConfigError) { next = try ConfigLoader.load(path: path) }
        catch { return reloadFailed(path, error.description) }
        do {
            let changes = try reload(config: next)
            health.reloads.recordSuccess(atUnixSeconds: clock.unixSeconds())
            logger.info("configuration reloaded", [("source", path), ("generation", String(loaded.withLock { $0.generation })),
                                                   ("changes", changes.description)])
            return true
        } catch {
            return reloadFailed(path, "\(error)")
        }
    }

    private func reloadFailed(_ path: String, _ message: String) -> Bool {
        health.reloads.recordFailure()
        logger.error("configuration reload failed; the running configuration is kept", [("source", path), ("error", message)])
        return false
    }
}
