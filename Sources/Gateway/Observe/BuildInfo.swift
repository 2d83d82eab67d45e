/// The release this binary is (`portcullis_build_info{version}`). Bumped with each tagged release.
public enum BuildInfo {
    /// Semantic version of this build.
    public static let version = "0.12.0"
}
