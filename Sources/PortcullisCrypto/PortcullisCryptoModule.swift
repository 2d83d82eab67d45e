/// Namespace marker for the `PortcullisCrypto` module; real types live in sibling files.
public enum PortcullisCryptoModule {}
