/// Namespace marker for the `DevIssuer` module; real types live in sibling files.
public enum DevIssuerModule {}
