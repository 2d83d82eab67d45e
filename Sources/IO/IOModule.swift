/// Namespace marker for the `IO` module; real types live in sibling files.
public enum IOModule {}
