/// Namespace marker for the `LoadtestCore` module; real types live in sibling files.
public enum LoadtestCoreModule {}
