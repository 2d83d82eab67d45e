/// Namespace marker for the `HTTP1` module; real types live in sibling files.
public enum HTTP1Module {}
