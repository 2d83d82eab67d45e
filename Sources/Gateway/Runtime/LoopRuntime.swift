import IO

/// A `RuntimeConfiguration` as one event loop uses it: the snapshot plus that loop's upstream pools,
/// one per upstream, in the snapshot's upstream order. Confined to its loop.
final class LoopRuntime {
    let configuration: RuntimeConfiguration
    let pools: [UpstreamPool]

    init(configuration: RuntimeConfiguration, pools: [UpstreamPool]) {
        self.configuration = configuration
        self.pools = pools
    }

    var settings: ProxySettings { configuration.settings }

    /// The runtime of `next` on `loop`: the pool of every upstream whose settings did not change is
    /// kept (its idle keep-alive connections and passive health with it); the others are new, and
    /// the pools left behind are retired (idle connections closed; connections still in use by a
    /// request of the old configuration close when it finishes instead of returning to the pool).
    func succeeded(by next: RuntimeConfiguration, on loop: EventLoop) -> LoopRuntime {
        var byName: [String: UpstreamPool] = [:]
        for pool in pools { byName[pool.settings.name] = pool }
        let nextPools = next.upstreams.map { service -> UpstreamPool in
            if let pool = byName[service.name], pool.settings == service {
                byName[service.name] = nil
                return pool
            }
            return UpstreamPool(settings: service, loop: loop)
        }
        for pool in byName.values { pool.retire() }
        return LoopRuntime(configuration: next, pools: nextPools)
    }
}
