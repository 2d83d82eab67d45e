/// Namespace marker for the `Gateway` module; real types live in sibling files.
public enum GatewayModule {}
