import PortcullisCrypto
/// The DPoP proof signer for the executable (which sees only Gateway and Config).
public typealias DPoPProofSigner = PortcullisCrypto.DPoPProofSigner
/// The signing key type for the executable (which sees only Gateway and Config).
public typealias SigningKeyHandle = SigningKey
/// Key types of `SigningKeyHandle.generate`.
public typealias SigningKeyType = SigningKey.KeyType
