/// Namespace marker for the `Telemetry` module; real types live in sibling files.
public enum TelemetryModule {}
