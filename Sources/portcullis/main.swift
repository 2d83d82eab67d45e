import Gateway
import Config
print("portcullis: not yet wired")
