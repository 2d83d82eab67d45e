/// Namespace marker for the `Config` module; real types live in sibling files.
public enum ConfigModule {}
