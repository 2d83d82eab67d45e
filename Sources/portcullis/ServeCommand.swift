import Config
import Dispatch
import Gateway
import IO
#if canImport(Glibc)
import Glibc
#endif

/// `portcullis serve [--config FILE]`: runs until SIGINT/SIGTERM, then drains (`/readyz` 503 and
/// `Connection: close` for `timeouts.drain_delay_ms`), stops accepting, lets in-flight requests
/// finish (bounded by `timeouts.shutdown_grace_ms`) and exits 0. SIGHUP re-reads the same file and
/// applies it (or keeps the running configuration and logs why not).
enum ServeCommand {
    static func run(_ args: ArraySlice<String>, devIssuerOnly: Bool = false) -> Int32 {
        let options: CommandLineOptions
        do { options = try CommandLineOptions(args, valueOptions: ["config"]) }
        catch { return fail("\(error)") }
        let config: PortcullisConfig
        let source: String
        do throws(ConfigError) { (config, source) = try ConfigSource.load(options.values["config"]) }
        catch { return fail("\(error)") }
        raiseOpenFileLimit()
        let gateway: RunningGateway
        if devIssuerOnly { return runDevIssuer(config) }
        do { gateway = try RunningGateway(config: config) }
        catch { return fail("\(error)") }
        gateway.logger.info("configuration loaded", [("source", source)])

        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        signal(SIGHUP, SIG_IGN)
        let signalQueue = DispatchQueue(label: "portcullis.signals")
        var sources: [DispatchSourceSignal] = []
        var stopping = false
        for sig in [SIGINT, SIGTERM] {
            let s = DispatchSource.makeSignalSource(signal: sig, queue: signalQueue)
            s.setEventHandler {
                guard !stopping else { return }   // a second signal does not restart the drain
                stopping = true
                // The timeouts in force now: a reload may have changed them.
                let timeouts = gateway.config.timeouts
                gateway.logger.info("draining", [("signal", sig == SIGINT ? "SIGINT" : "SIGTERM"),
                                                 ("drain_delay_ms", String(timeouts.drainDelayMilliseconds)),
                                                 ("grace_ms", String(timeouts.shutdownGraceMilliseconds))])
                gateway.shutdown(graceMs: timeouts.shutdownGraceMilliseconds, drainDelayMs: timeouts.drainDelayMilliseconds) { remaining in
                    gateway.logger.info("stopped", [("unfinished_connections", String(remaining))])
                    exit(0)
                }
            }
            s.resume()
            sources.append(s)
        }
        let reloadPath = ConfigSource.filePath(options.values["config"])
        let hup = DispatchSource.makeSignalSource(signal: SIGHUP, queue: signalQueue)
        hup.setEventHandler {
            guard !stopping else { return }
            guard let reloadPath else {
                gateway.logger.warning("SIGHUP ignored: running on the embedded default configuration, there is no file to re-read")
                return
            }
            gateway.reload(fromFile: reloadPath)
        }
        hup.resume()
        sources.append(hup)
        // SIGUSR1: reopen the access-log file (logrotate's rename-then-signal).
        signal(SIGUSR1, SIG_IGN)
        let reopen = DispatchSource.makeSignalSource(signal: SIGUSR1, queue: signalQueue)
        reopen.setEventHandler { gateway.reopenAccessLog() }
        reopen.resume()
        sources.append(reopen)
        withExtendedLifetime(sources) { parkMainThread() }
    }
}

/// `portcullis dev-issuer`: only the configuration's development issuer, until SIGINT/SIGTERM.
private func runDevIssuer(_ config: PortcullisConfig) -> Int32 {
    guard let dev = config.devIssuer else { return fail("dev_issuer: not configured in this configuration") }
    let group = EventLoopGroup(count: 1)
    let server: LocalServer
    do { (server, _) = try RunningGateway.startDevIssuer(dev, group: group, clock: MonotonicClock()) }
    catch { return fail("\(error)") }
    print("development issuer \(dev.issuer) listening on \(dev.listen)")
    signal(SIGINT, SIG_IGN)
    signal(SIGTERM, SIG_IGN)
    let queue = DispatchQueue(label: "portcullis.signals")
    let sources = [SIGINT, SIGTERM].map { sig -> DispatchSourceSignal in
        let s = DispatchSource.makeSignalSource(signal: sig, queue: queue)
        s.setEventHandler { server.stop(); exit(0) }
        s.resume()
        return s
    }
    withExtendedLifetime(sources) { parkMainThread() }
}

/// Keeps the main thread alive, idle, for the life of the process: the event loops and the signal
/// queue do all the work, and a signal handler ends the process with `exit`. Nothing runs on the
/// main queue.
///
/// Not `dispatchMain()`: it ends the main thread (`pthread_exit`) and libdispatch then takes signals
/// on that thread from inside its thread-exit code (`_dispatch_sig_thread`), where AddressSanitizer
/// no longer knows the stack: every SIGHUP and SIGUSR1 made an ASan-built gateway abort (exit 1)
/// in `_dispatch_sigmask` → `sigfillset`. A parked live thread takes the signals instead.
private func parkMainThread() -> Never {
    while true { pause() }
}

func fail(_ message: String, code: Int32 = 2) -> Int32 {
    var line = Array("portcullis: \(message)\n".utf8)
    _ = line.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    return code
}
