/// Namespace marker for the `JOSE` module; real types live in sibling files.
public enum JOSEModule {}
