/// Namespace marker for the `Policy` module; real types live in sibling files.
public enum PolicyModule {}
